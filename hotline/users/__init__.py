"""Console accounts: agents, supervisors, grid workers and administrators."""
