"""Notification texts: what the domain decided to tell, written out for e-mail."""
