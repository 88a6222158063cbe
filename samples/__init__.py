"""Bundled sample matrices; installed as ``tuiheat.samples`` so bare ``tuiheat`` finds them."""
