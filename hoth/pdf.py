"""Documents people download as PDF (panel minutes, problem profiles, subject
access disclosures), drawn by WeasyPrint from HTML the service rendered."""


def pdf_from_html(html):
    """The document fetches nothing from outside itself: no text typed into a
    record can make the server request a URL while drawing it."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
