"""Register feedstocks on GitHub (repository, protection, remote, team) through PyGithub."""
