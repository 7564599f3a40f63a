"""What conda-forge's bots do, locally: apply, order, check and close pinning migrations."""
