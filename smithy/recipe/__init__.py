"""Recipe reading and rendering for both formats."""
