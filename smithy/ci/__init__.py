"""CI services other than GitHub's own: Azure Pipelines registration."""
