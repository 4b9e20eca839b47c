"""File formats: readers and writers of TMX, XLIFF, Markdown, plain text and OmegaT projects."""
