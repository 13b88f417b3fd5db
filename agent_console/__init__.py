"""Web console for agents, supervisors and grid workers."""
