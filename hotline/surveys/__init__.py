"""Callback surveys (回访): did the closure solve the problem, and how satisfied is the resident."""
