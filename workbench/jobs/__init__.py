"""Use cases the commands and the UI share: drafting jobs, QA of bilingual files, evaluation."""
