"""What managers read: lists and reports of tickets."""
