"""Compatibility APIs: ``scopeviz.compat.v1`` mirrors TensorFlow 1.x."""
