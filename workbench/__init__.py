"""zh→en translation and glossary workbench.

The version has one source, the package metadata (``version`` in pyproject.toml); every draft's
Signature, the TMX/XLIFF headers and ``workbench --version`` read it from here.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zh-en-workbench")
except PackageNotFoundError:  # a source tree that was never installed (pip install -e .)
    __version__ = "0+unknown"
