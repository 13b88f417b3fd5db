"""Open311 GeoReport v2: API clients, their requests, and the server."""
