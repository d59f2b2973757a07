"""scopeviz: TensorFlow 1.x scoping, made visible.

Use ``import scopeviz.compat.v1 as tf`` for TensorFlow 1.x's API.
"""
__version__ = "0.1.0"
