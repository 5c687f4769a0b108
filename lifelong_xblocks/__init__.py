"""XBlocks for lifelong-learning activity weeks, and the Django app that stores what learners do in them."""
__version__ = "0.1.0"
