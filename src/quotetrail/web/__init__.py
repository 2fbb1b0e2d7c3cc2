"""`quotetrail serve`: the corpus in a browser and over HTTP (pip install 'quotetrail[web]').

The app is `quotetrail.web.app.create_app(db)`; this package imports nothing heavy, so the
command line can offer `serve` without the web extra installed.
"""
