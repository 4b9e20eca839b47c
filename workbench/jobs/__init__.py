"""Use cases: the one drafting loop and what runs around it (engine loading, outputs, interruption),
plain and project translation, and their executors; QA of bilingual files; evaluation and its test sets."""
