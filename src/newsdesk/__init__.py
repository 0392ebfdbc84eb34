"""newsdesk: answer questions over news with a sourced, cited brief."""

__version__ = "0.1.0"
