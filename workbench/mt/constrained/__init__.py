"""Glossary enforcement inside decoding.

* :mod:`~workbench.mt.constrained.search`: the lexically constrained beam search on the transformers
  model (dynamic beam allocation), with its typed tensors (:mod:`.tensors`), hypothesis state
  (:mod:`.state`), one step (:mod:`.step`, :mod:`.ops`) and the model driver (:mod:`.stepper`).
* :mod:`~workbench.mt.constrained.fast`: the CTranslate2 path (n-best check, then terms placed into the
  best hypothesis at the words the model aligned to them, :mod:`.placement`), with the same guarantee.

Nothing is imported here, so that the CTranslate2 path never loads torch.
"""
