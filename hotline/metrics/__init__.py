"""The figures 12345 lines are judged by: response, resolution and satisfaction rates."""
