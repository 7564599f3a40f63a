"""Many feedstocks at once: per-feedstock tasks on a process pool, shards or dask.distributed."""
