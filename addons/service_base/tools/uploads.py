"""Limits of the files customers upload through the suite's web forms.

Odoo parses a form's whole body before the controller runs (up to the
database's 128 MB upload limit), spooling files to disk. A form's own route
therefore carries ``max_content_length=upload_limit(files, size)``: a body
larger than what the form may ever accept is refused before it is parsed. The
controller then checks the number and the sizes of the files from the
spooled streams, before reading any of them into memory.
"""

import io

# The form's other fields and the multipart headers, on top of the files.
FORM_MARGIN = 256 * 1024


def upload_limit(max_files, max_size):
    """The largest request body a form with ``max_files`` files of at most
    ``max_size`` bytes each may need."""
    return max_files * max_size + FORM_MARGIN


def upload_size(upload):
    """The size in bytes of an uploaded file (a werkzeug ``FileStorage``),
    measured on its spooled stream without reading it."""
    stream = upload.stream
    try:
        position = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(position)
    except (AttributeError, OSError, ValueError):
        # Not seekable (werkzeug's streams always are): what the part announced.
        return upload.content_length or 0
    return size
