"""Grid governance registry: communities residents key in, and their grids."""
