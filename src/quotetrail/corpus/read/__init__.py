"""The one read layer: every reader of the corpus (the command line, the Python API, the web)
goes through it.

- fields: the filters and facets, declared once (FILTERS), and a Search.
- planner: which way finds a search's hits fastest at any size.
- searching: a page of hits, with facets and a timeline counted over a bounded number of them.
- views: one quotation, its trace, a speaker, the outlets, an article.
- connection: read-only connections for a server.
"""
