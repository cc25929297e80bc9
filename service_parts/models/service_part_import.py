import base64
import binascii
import codecs
import csv
import io
import logging
import operator
import re
import time

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.service_base.tools import action_records, csv_row

from ..tools import MAX_CODE_LENGTH, normalize_code
from .service_part_import_mapping import IMPORT_COLUMNS

_logger = logging.getLogger(__name__)

# Lines per COPY statement while the file is read.
COPY_BATCH = 50000
# Lines per job: a job must end well within an HTTP worker's limit_time_real
# (120 s by default) whatever the size of the file; 20,000 lines take a few
# seconds. The system parameter below changes it.
CHUNK_SIZE_PARAM = "service_parts.import_chunk_size"
DEFAULT_CHUNK_SIZE = 20000
# Lines read per job, in batches: reading, checking and staging a line costs
# a fraction of importing it, so a job reading the lines of ten batches
# stays within the time of a batch or two, however long the file.
READ_BATCHES = 10
# Bytes taken from the file at a time while its lines are read.
READ_BLOCK = 1 << 20
# Every line of one supplier code falls into one bucket (a hash of the
# normalized code) and a batch is a run of whole buckets: the lines of a code
# (its price breaks, its duplicates) meet in one batch without a pass over
# the whole file, which would grow with it.
BUCKETS = 4096
# A line that changes nothing (recognised while the file is read) costs a
# batch about a tenth of one that does: batches take ten times more of them.
UNCHANGED_WEIGHT = 10
# Checked lines of a running import, between its jobs (see init()).
STAGED_COLUMNS = (
    "line", "code", "ncode", "name", "oem", "noem", "analog", "nanalog", "barcode", "nbarcode",
    "raw_price", "raw_currency", "price", "currency_id", "min_qty", "delay", "reject",
    "first_line", "unchanged", "product_id", "tmpl_id",
)  # fmt: skip
# Column order of the staging table; the first is the line number.
STAGING_COLUMNS = [fname[4:] for fname, _label, _names in IMPORT_COLUMNS]
# Up to a trillion: more digits than that is a broken cell, not a price.
NUMBER_RE = r"^[0-9]{1,12}([.,][0-9]+)?$"
# What an import reads when its job runs: fixed once it has started, so that
# the job imports what action_start checked.
DEFINITION_FIELDS = {
    "partner_id",
    "company_id",
    "file",
    "file_name",
    "delimiter",
    "encoding",
    "default_currency_id",
    "categ_id",
    *(fname for fname, _label, _names in IMPORT_COLUMNS),
}
# The run's outcome, written by the job.
RESULT_FIELDS = {
    "state",
    "job_uuid",
    "line_count",
    "rejected_count",
    "part_created_count",
    "part_matched_count",
    "crossref_created_count",
    "price_created_count",
    "price_updated_count",
    "chunk_count",
    "chunk_done_count",
    "file_size",
    "read_offset",
    "read_line",
    "unchanged_count",
    "query_count",
    "duration",
    "report_file",
    "report_file_name",
    "error",
}


# Computed while a line is read (_line_parser), COPYed after its cells.
PARSED_COLUMNS = ["ncode", "noem", "nanalog", "nbarcode", "nprice", "nmin_qty", "ndelay"]
# The staging columns they come from.
PARSED_FROM = ("code", "oem", "analog", "barcode", "price", "min_qty", "delay")
_NUMBER = re.compile(NUMBER_RE)
_DELAY = re.compile(r"^[0-9]{1,5}$")
# What PostgreSQL's \s took out of a price (the ASCII white space; beyond
# ASCII, the spaces but the no-break ones, as glibc's iswspace has them).
_SPACES = str.maketrans("", "", " \t\n\r\f\v")
_NO_BREAK_SPACES = "\u00a0\u2007\u202f"


def _price_text(cell):
    raw = cell.translate(_SPACES)
    if not raw.isascii():
        raw = "".join(c for c in raw if not c.isspace() or c in _NO_BREAK_SPACES)
    return raw.replace(",", ".") if _NUMBER.fullmatch(raw) else None


def _line_parser(code, oem, analog, barcode, price, min_qty, delay):
    """A function of a line's mapped cells (their positions given, None for
    a column not mapped) to the COPY text of PARSED_COLUMNS: the numbers
    normalized as the ORM does (normalize_code; NULL for none but the
    supplier code's ''), the price without its spaces and with a decimal
    point, the minimum quantity (0 when empty) and the lead time (1 when
    empty); NULL (\\N) for what does not read, which the staging refuses."""
    null = "\\N"

    def number(cells, index):
        value = normalize_code(cells[index]) if index is not None else ""
        return value or null

    def parse(cells):
        nprice = _price_text(cells[price]) or null
        raw = cells[min_qty].strip(" ") if min_qty is not None else ""
        if not raw:
            nmin_qty = "0"
        else:
            nmin_qty = raw.replace(",", ".") if _NUMBER.fullmatch(raw) else null
        raw = cells[delay].strip(" ") if delay is not None else ""
        ndelay = "1" if not raw else raw if _DELAY.fullmatch(raw) else null
        return "\t".join(
            (
                normalize_code(cells[code]),
                number(cells, oem),
                number(cells, analog),
                number(cells, barcode),
                nprice,
                nmin_qty,
                ndelay,
            )
        )

    return parse


def _copy_escape(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


class ServicePartImport(models.Model):
    _name = "service.part.import"
    _inherit = ["mail.thread", "service.guarded.mixin"]
    _description = "Supplier Catalog Import"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    file = fields.Binary(string="Catalog File", attachment=True)
    file_name = fields.Char()
    header_preview = fields.Char(string="Columns in the File", readonly=True)
    delimiter = fields.Char(default=",", size=1)
    encoding = fields.Selection(
        [("utf-8", "UTF-8"), ("cp1251", "Windows-1251")], default="utf-8", required=True
    )
    col_code = fields.Char(string="Supplier Code Column")
    col_name = fields.Char(string="Name Column")
    col_oem = fields.Char(string="OEM Number Column")
    col_analog = fields.Char(string="Analog Number Column")
    col_barcode = fields.Char(string="Barcode Column")
    col_price = fields.Char(string="Price Column")
    col_currency = fields.Char(string="Currency Column")
    col_min_qty = fields.Char(string="Minimum Quantity Column")
    col_delay = fields.Char(string="Lead Time Column")
    default_currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="For lines without a currency.",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Category of New Parts",
        required=True,
        default=lambda self: self.env.ref("product.product_category_all", raise_if_not_found=False),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    job_uuid = fields.Char(readonly=True, copy=False)
    line_count = fields.Integer(string="Lines", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    part_created_count = fields.Integer(string="Parts Created", readonly=True)
    part_matched_count = fields.Integer(string="Parts Found", readonly=True)
    crossref_created_count = fields.Integer(string="Numbers Added", readonly=True)
    price_created_count = fields.Integer(string="Prices Added", readonly=True)
    price_updated_count = fields.Integer(string="Prices Updated", readonly=True)
    chunk_count = fields.Integer(
        string="Batches",
        readonly=True,
        help="The file is imported in batches of lines, one background job each "
        "(system parameter service_parts.import_chunk_size, 20,000 lines by default).",
    )
    chunk_done_count = fields.Integer(string="Batches Imported", readonly=True)
    unchanged_count = fields.Integer(
        string="Lines Unchanged",
        readonly=True,
        help="Lines whose part, numbers and price are already as the file says: "
        "recognised while the file is read, they cost the import almost nothing.",
    )
    # Bytes: numeric columns (digits=(20, 0)), not int4, whose 2 GB a
    # catalog file may pass; a Float, not a bigint, as XML-RPC carries no
    # integer over 2**31 (an update converts the int4 columns in place).
    file_size = fields.Float(string="File Size (bytes)", digits=(20, 0), readonly=True)
    read_offset = fields.Float(
        string="Bytes Read",
        digits=(20, 0),
        readonly=True,
        help="How far the jobs reading the file have come: each reads the lines of "
        "ten batches and queues the next from there.",
    )
    read_line = fields.Integer(string="Lines Read", readonly=True)
    query_count = fields.Integer(string="SQL Queries", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True)
    report_file = fields.Binary(string="Rejected Lines", attachment=True, readonly=True)
    report_file_name = fields.Char(readonly=True)
    error = fields.Text(readonly=True)
    progress_ids = fields.One2many(
        "service.part.import.progress", "import_id", string="Progress of the Jobs"
    )
    progress = fields.Float(compute="_compute_progress")
    progress_step = fields.Char(compute="_compute_progress")

    @api.depends("file_name", "partner_id")
    def _compute_name(self):
        for record in self:
            record.name = " / ".join(
                filter(None, [record.partner_id.display_name, record.file_name])
            ) or _("New Import")

    @api.depends(
        "progress_ids.done",
        "progress_ids.total",
        "state",
        "chunk_count",
        "chunk_done_count",
        "file_size",
        "read_offset",
        "read_line",
    )
    def _compute_progress(self):
        for record in self:
            live = record.progress_ids[:1]
            if record.state == "done":
                record.progress, record.progress_step = 100.0, _("Done")
                continue
            # Over the whole file: its reading is the first half, its
            # batches the second (the jobs' fields, once committed).
            progress, step = 0.0, live.step or ""
            if record.state == "queued" and record.file_size and record.read_offset:
                reading = min(record.read_offset / record.file_size, 1.0)
                if reading < 1.0 or not record.chunk_count:
                    progress = 50.0 * reading
                    step = _("Reading the file: %(lines)s lines so far", lines=record.read_line)
                else:
                    progress = 50.0 + 50.0 * record.chunk_done_count / record.chunk_count
                    step = _(
                        "%(done)s of %(count)s batches of lines imported",
                        done=record.chunk_done_count,
                        count=record.chunk_count,
                    )
            # What the running job says from its own cursor, when it is ahead.
            if live.total and 100.0 * live.done / live.total > progress:
                progress, step = 100.0 * live.done / live.total, live.step
            record.progress, record.progress_step = progress, step

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        mapping = self._mapping()
        if mapping:
            self.delimiter = mapping.delimiter
            self.encoding = mapping.encoding
            for fname, _label, _names in IMPORT_COLUMNS:
                self[fname] = mapping[fname]

    @api.onchange("file", "delimiter", "encoding")
    def _onchange_file(self):
        if not self.file:
            return
        try:
            header = self._read_header()
        except UserError as error:
            return {"warning": {"title": _("Catalog File"), "message": str(error)}}
        self.header_preview = ", ".join(header)
        lowered = {name.strip().lower(): name for name in header}
        for fname, _label, names in IMPORT_COLUMNS:
            if not self[fname] or self[fname] not in header:
                self[fname] = next((lowered[n] for n in names if n in lowered), False)

    def init(self):
        result = super().init()
        # The checked lines of a running import must outlive the job that read
        # them, for the jobs of its batches: a plain table of its own (read
        # and written in bulk, never as records), unlogged as it only holds
        # work in progress; a batch's lines go once it is imported, the
        # rejected ones when the import is done or failed, or deleted. Beside
        # it, the lines of each bucket of codes and which batch takes them.
        # The uninstall_hook (hooks.py) drops both.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNLOGGED TABLE IF NOT EXISTS service_part_import_staged (
                    import_id integer NOT NULL
                        REFERENCES service_part_import (id) ON DELETE CASCADE,
                    line integer NOT NULL,
                    code text, ncode text, name text, oem text, noem text, analog text,
                    nanalog text, barcode text, nbarcode text, raw_price text, raw_currency text,
                    price numeric, currency_id integer, min_qty numeric, delay integer,
                    reject varchar, first_line integer
                );
                -- Added with the reading in several jobs (no import runs
                -- across an update: its staged lines would be of the old shape).
                ALTER TABLE service_part_import_staged
                    DROP COLUMN IF EXISTS chunk,
                    ADD COLUMN IF NOT EXISTS bucket smallint,
                    ADD COLUMN IF NOT EXISTS unchanged boolean NOT NULL DEFAULT false,
                    ADD COLUMN IF NOT EXISTS product_id integer,
                    ADD COLUMN IF NOT EXISTS tmpl_id integer;
                CREATE INDEX IF NOT EXISTS service_part_import_staged_bucket_index
                    ON service_part_import_staged (import_id, bucket);
                CREATE INDEX IF NOT EXISTS service_part_import_staged_reject_index
                    ON service_part_import_staged (import_id) WHERE reject IS NOT NULL;
                CREATE UNLOGGED TABLE IF NOT EXISTS service_part_import_bucket (
                    import_id integer NOT NULL
                        REFERENCES service_part_import (id) ON DELETE CASCADE,
                    bucket smallint NOT NULL,
                    lines integer NOT NULL,
                    changed integer NOT NULL,
                    chunk integer,
                    PRIMARY KEY (import_id, bucket)
                )
                """
            )
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_file_encoding(vals.get("file"))
        return super().create(vals_list)

    def write(self, vals):
        self._check_file_encoding(vals.get("file"))
        if DEFINITION_FIELDS & set(vals) and not self._service_guarded_free():
            started = self.filtered(lambda record: record.state in ("queued", "done"))
            if started:
                raise UserError(
                    _(
                        "Import %(name)s has started: its file, supplier and columns can no "
                        "longer change.",
                        name=started[0].name,
                    )
                )
        return super().write(vals)

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | RESULT_FIELDS

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        """Check the file and the column mapping, remember the mapping for
        the supplier and queue the import as a background job."""
        for record in self:
            if record.state not in ("draft", "failed"):
                raise UserError(_("This import has already been started."))
            columns = record._check_columns()
            record._chunk_size()
            record._save_mapping(columns)
            record.progress_ids.unlink()
            record.progress_ids = [fields.Command.create({"step": _("Waiting"), "total": 0})]
            # The channel (root.service_parts) comes from the job function
            # records of data/queue_job_data.xml.
            job = record.with_delay(
                description=_("Import supplier catalog %(name)s", name=record.name)
            )._run_import_job()
            action_records(record).write(
                {
                    "state": "queued",
                    "job_uuid": job.uuid,
                    "error": False,
                    "read_offset": 0,
                    "read_line": 0,
                }
            )
        return True

    def action_reset(self):
        """Put failed imports back to draft, to correct and start them again."""
        if self.filtered(lambda record: record.state != "failed"):
            raise UserError(_("Only a failed import can be reset to draft."))
        action_records(self).write({"state": "draft"})
        return True

    def _run_import_job(self):
        """Job reading the file: the first from its top, each next one from
        where the one before stopped, the lines of ten batches each (see
        _read_part); it queues the next, and once the whole file is read
        imports the first batch and queues the next batch (each batch a job
        of its own, see _run_chunk_job). A refusal marks the import failed
        with the reason instead of leaving it queued; nothing of it stays."""
        self.ensure_one()
        if self.state in ("draft", "queued", "failed"):
            self._run_job_step(None)
        return self.state

    def _run_chunk_job(self, chunk):
        """Job of the batch ``chunk`` of a queued import: import it, then queue
        the next one or finish the import. A batch that fails fails the
        import with the reason; nothing of that batch stays, the batches
        before it do (importing the file again finds them)."""
        self.ensure_one()
        if self.state == "queued":
            self._run_job_step(chunk)
        return self.state

    def _run_job_step(self, chunk):
        """The work of one job in a savepoint: ``chunk`` None for a job
        reading the file (then its first batch once the file is read)."""
        next_chunk, read_on = None, False
        try:
            with self.env.cr.savepoint():
                if chunk is None:
                    if self._read_part():
                        # The first batch runs in the job that read the end
                        # of the file: a small file is one job, as before.
                        chunk = self._plan_batches()
                    else:
                        read_on = True
                if chunk is not None:
                    self._import_chunk(chunk)
                    next_chunk = self._next_chunk(chunk)
                if next_chunk is None and not read_on:
                    self._finish_import()
        except (UserError, ValidationError) as error:
            _logger.warning("Catalog import %s failed: %s", self.id, error)
            next_chunk, read_on = None, False
            self._fail_job(error.args[0], chunk, unexpected=False)
        except Exception as error:
            # Not a refusal of ours (a database error, a bug): the user gets a
            # sentence on the import, the log keeps the traceback.
            _logger.exception("Catalog import %s failed", self.id)
            next_chunk, read_on = None, False
            # Outside _(): the translation extractor reads _()'s arguments.
            self._fail_job(f"{type(error).__name__}: {error}"[:500], chunk, unexpected=True)
        if read_on:
            job = self.with_delay(
                description=_(
                    "Import supplier catalog %(name)s: reading from line %(line)s",
                    name=self.name,
                    line=self.read_line + 1,
                )
            )._run_import_job()
            action_records(self).write({"job_uuid": job.uuid})
        elif next_chunk is not None:
            job = self.with_delay(
                description=_(
                    "Import supplier catalog %(name)s: batch %(chunk)s of %(count)s",
                    name=self.name,
                    chunk=self.chunk_done_count + 1,
                    count=self.chunk_count,
                )
            )._run_chunk_job(next_chunk)
            action_records(self).write({"job_uuid": job.uuid})

    def _fail_job(self, reason, chunk, unexpected):
        if self.chunk_done_count:
            # Batches before this one are in: say so, and how to go on.
            if unexpected:
                reason = _(
                    "unexpected error (%(error)s), the server log has the details", error=reason
                )
            self.env.cr.execute(
                SQL(
                    "SELECT sum(lines) FROM service_part_import_bucket"
                    " WHERE import_id = %s AND chunk >= %s",
                    self.id,
                    chunk,
                )
            )
            reason = _(
                "Batch %(chunk)s of %(count)s failed: its lines and those of the batches "
                "after it, %(lines)s lines, were not imported; the %(done)s batches before "
                "it are. Once the cause is corrected, start the import again: what is "
                "imported already is found, not created twice. The cause: %(error)s",
                chunk=self.chunk_done_count + 1,
                count=self.chunk_count,
                lines=self.env.cr.fetchone()[0] or 0,
                error=reason,
                done=self.chunk_done_count,
            )
        elif unexpected:
            reason = _(
                "The import stopped on an unexpected error (%(error)s). Nothing was "
                "imported; the server log has the details.",
                error=reason,
            )
        self._drop_staged()
        self._mark_failed(reason)

    def _drop_staged(self):
        for table in ("service_part_import_staged", "service_part_import_bucket"):
            self.env.cr.execute(
                SQL("DELETE FROM %s WHERE import_id = %s", SQL.identifier(table), self.id)
            )

    def _mark_failed(self, reason):
        # Started again, it reads the file from the top.
        action_records(self).write(
            {"state": "failed", "error": reason, "read_offset": 0, "read_line": 0}
        )
        self.message_post(body=_("Import failed: %(error)s", error=reason))

    # ------------------------------------------------------------------
    # Parsing
    # ------------------------------------------------------------------
    def _is_xlsx(self):
        return (self.file_name or "").lower().endswith((".xlsx", ".xlsm"))

    @api.model
    def _check_file_encoding(self, value):
        # A binary field travels base64-encoded: what is not would stop in
        # ir.attachment with binascii's error instead of a sentence.
        if value and isinstance(value, (str, bytes)):
            self._decode_file(value)

    def _decode_file(self, value):
        try:
            return base64.b64decode(value)
        except (binascii.Error, ValueError) as error:
            raise UserError(
                _("The catalog file did not arrive whole (it is not base64 data): upload it again.")
            ) from error

    def _raw_file(self):
        if not self.file:
            raise UserError(_("Upload the catalog file first."))
        return self._decode_file(self.with_context(bin_size=False).file)

    def _open_file(self):
        """The catalog file as a binary stream: its attachment's file in the
        filestore read in place (a job reads its part of a large file, not
        the whole of it), else its bytes."""
        if isinstance(self.id, int):
            # sudo: the import's own file, which whoever runs the import reads
            # through its field anyway; attachments of fields are not searched
            # by their users.
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_field", "=", "file"),
                        ("res_id", "=", self.id),
                    ],
                    limit=1,
                )
            )
            if attachment.store_fname:
                return open(attachment._full_path(attachment.store_fname), "rb")
            if not attachment:
                raise UserError(_("Upload the catalog file first."))
            return io.BytesIO(attachment.raw)
        # A record of a form (onchange): the file as uploaded.
        return io.BytesIO(self._raw_file())

    def _iter_file_rows(self):
        """Yield the rows of the file (lists of cells), the header first."""
        with self._open_file() as stream:
            if self._is_xlsx():
                yield from self._iter_xlsx_rows(stream)
            else:
                yield from self._iter_csv_rows(stream, 0, [0])

    def _iter_csv_rows(self, stream, offset, position):
        """Yield the rows of a CSV file from the byte ``offset`` (0 or where an
        earlier call stopped: a line's start, outside quotes). Once a row is
        yielded, ``position[0]`` is the offset just after it: where the next
        job starts reading."""
        reader = csv.reader(
            self._iter_csv_lines(stream, offset, position), delimiter=self.delimiter or ","
        )
        try:
            yield from reader
        except csv.Error as error:
            raise UserError(
                _(
                    "The file is not a readable CSV file (line %(line)s): %(error)s",
                    line=reader.line_num,
                    error=str(error),
                )
            ) from error

    def _iter_csv_lines(self, stream, offset, position):
        """The text lines of the file from ``offset``, each with its line
        break, as the csv module reads a file opened with newline="": it
        joins the lines of a quoted cell itself. ``position[0]`` is kept at
        the end of the last line given, so a reader that has returned a row
        has consumed the file exactly up to it."""
        encoding = self.encoding or "utf-8"
        stream.seek(offset)
        position[0] = offset
        carry, first = b"", offset == 0
        while True:
            block = stream.read(READ_BLOCK)
            if b"\x00" in block:
                # PostgreSQL takes no NUL in text: refuse the file before the COPY does.
                raise UserError(_("The file contains NUL characters: it is not a CSV text file."))
            data = carry + block
            if not data:
                return
            lines = data.splitlines(keepends=True)
            # The last line may go on in the next block (also a \r whose \n
            # is there): kept until then, unless the file ends here.
            carry = lines.pop() if block and not lines[-1].endswith(b"\n") else b""
            for raw in lines:
                if first:
                    first = False
                    if encoding == "utf-8" and raw.startswith(codecs.BOM_UTF8):
                        position[0] += len(codecs.BOM_UTF8)
                        raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as error:
                    raise UserError(
                        _("The file is not encoded in %(encoding)s.", encoding=self.encoding)
                    ) from error
                position[0] += len(raw)
                yield text
            if not block:
                return

    def _iter_xlsx_rows(self, stream):
        """The rows of the first worksheet. openpyxl reads a workbook lazily, so
        a damaged one fails while its rows are read (a truncated part: zlib or
        zip errors; broken XML: ParseError), or has no worksheet at all: every
        failure is a UserError, whenever it comes."""
        import openpyxl  # noqa: PLC0415 - only needed for spreadsheets

        line, book = 0, None
        try:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
            if not book.worksheets:
                raise UserError(_("The workbook has no worksheet."))
            for row in book.worksheets[0].iter_rows(values_only=True):
                line += 1
                yield ["" if cell is None else str(cell) for cell in row]
        except UserError:
            raise
        except Exception as error:
            # Whatever openpyxl, zipfile, zlib or the XML parser raise on a
            # damaged file: all of them mean "not a workbook we can read".
            _logger.info("Catalog import %s: unreadable workbook", self.id, exc_info=True)
            detail = str(error) or type(error).__name__
            if not line:
                raise UserError(
                    _("The file is not a readable XLSX workbook: %(error)s", error=detail)
                ) from error
            raise UserError(
                _(
                    "The workbook is damaged after line %(line)s: %(error)s",
                    line=line,
                    error=detail,
                )
            ) from error
        finally:
            if book is not None:
                book.close()

    def _read_header(self):
        rows = self._iter_file_rows()
        header = next(rows, None)
        if not header:
            raise UserError(_("The file is empty."))
        return [cell.strip() for cell in header]

    def _check_columns(self):
        """{staging column: index in the file} for the mapped columns."""
        self.ensure_one()
        header = self._read_header()
        if not self.col_code or not self.col_price:
            raise UserError(_("Map at least the supplier code and the price columns."))
        positions = {name: index for index, name in enumerate(header)}
        columns, missing = {}, []
        for fname, _label, _names in IMPORT_COLUMNS:
            if self[fname]:
                if self[fname] not in positions:
                    missing.append(self[fname])
                else:
                    columns[fname] = positions[self[fname]]
        if missing:
            raise UserError(
                _(
                    "These columns are not in the file: %(missing)s. The file has: %(header)s.",
                    missing=", ".join(missing),
                    header=", ".join(header),
                )
            )
        return columns

    def _mapping(self):
        if not self.partner_id:
            return self.env["service.part.import.mapping"]
        return self.env["service.part.import.mapping"].search(
            [("partner_id", "=", self.partner_id.id), ("company_id", "=", self.company_id.id)],
            limit=1,
        )

    def _save_mapping(self, columns):
        vals = {fname: self[fname] or False for fname, _label, _names in IMPORT_COLUMNS}
        vals.update(delimiter=self.delimiter, encoding=self.encoding)
        mapping = self._mapping()
        if mapping:
            mapping.write(vals)
        else:
            mapping.create(dict(vals, partner_id=self.partner_id.id, company_id=self.company_id.id))

    def _set_progress(self, done, total, step):
        # A separate, short transaction so the form shows progress while the
        # job's own transaction is still open.
        try:
            with self.env.registry.cursor() as cr:
                cr.execute(
                    SQL(
                        "UPDATE service_part_import_progress SET done = %s, total = %s,"
                        " step = %s, write_date = now() at time zone 'UTC'"
                        " WHERE import_id = %s",
                        done,
                        total,
                        step,
                        self.id,
                    )
                )
        except psycopg2.Error:
            _logger.debug("progress of import %s not written", self.id, exc_info=True)

    # ------------------------------------------------------------------
    # The bulk import
    # ------------------------------------------------------------------
    def _run_import(self):
        """Import the whole file in this transaction, part after part and
        batch after batch (what the jobs do one each); returns the import's
        results."""
        self.ensure_one()
        while not self._read_part():
            pass
        chunk = self._plan_batches()
        while chunk is not None:
            self._import_chunk(chunk)
            chunk = self._next_chunk(chunk)
        return self._finish_import()

    @api.model
    def _chunk_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param(CHUNK_SIZE_PARAM)
        try:
            size = int(value or DEFAULT_CHUNK_SIZE)
        except ValueError:
            size = 0
        if size <= 0:
            raise UserError(
                _(
                    "The system parameter %(param)s must be a positive number of lines, "
                    "not %(value)s.",
                    param=CHUNK_SIZE_PARAM,
                    value=value,
                )
            )
        return size

    def _read_part(self):
        """Read the next lines of the file (the first part from its top, the
        next from where the part before stopped: ten batches' lines, a whole
        workbook), check each of them and stage them in bulk (COPY, then
        one statement into service_part_import_staged). Lines that would
        change nothing are recognised here. Returns True once the whole file
        is read."""
        self.ensure_one()
        started = time.monotonic()
        cr = self.env.cr
        self.env.flush_all()
        queries_before = cr.sql_log_count
        self._no_jit()
        size = self._chunk_size()
        columns = self._check_columns()
        vals = {}
        if not self.read_offset:
            self._drop_staged()
            vals = dict.fromkeys(
                (
                    "line_count", "rejected_count", "unchanged_count", "chunk_count",
                    "chunk_done_count", "part_created_count", "part_matched_count",
                    "crossref_created_count", "price_created_count", "price_updated_count",
                    "query_count",
                ),
                0,
            )  # fmt: skip
            vals.update(duration=0.0, error=False)
        limit = None if self._is_xlsx() else size * READ_BATCHES
        copies, offset, line_no, file_size, at_end = self._stage_lines(
            columns, int(self.read_offset), self.read_line, limit
        )
        if at_end and line_no == 1:
            raise UserError(_("The file has no lines below its header."))
        lines, rejected, unchanged = self._stage_checked()
        vals.update(
            file_size=file_size,
            read_offset=offset,
            read_line=line_no,
            line_count=vals.get("line_count", self.line_count) + lines,
            rejected_count=vals.get("rejected_count", self.rejected_count) + rejected,
            unchanged_count=vals.get("unchanged_count", self.unchanged_count) + unchanged,
            query_count=vals.get("query_count", self.query_count)
            + cr.sql_log_count
            - queries_before
            + copies
            + 1,
            duration=vals.get("duration", self.duration) + time.monotonic() - started,
        )
        action_records(self).write(vals)
        return at_end

    def _no_jit(self):
        # The import's statements handle thousands of rows each: their costs
        # start PostgreSQL's JIT compilation with inlining and optimisation,
        # which took longer than running them (2-4 s of a 6 s statement on
        # 20,000 lines). This transaction only.
        self.env.cr.execute(SQL("SET LOCAL jit = off"))

    def _stage_lines(self, columns, offset, line_no, limit):
        """COPY the mapped cells of the next ``limit`` lines (all when None)
        from the byte ``offset``, after line ``line_no``, into a temporary
        table. Returns the number of COPY statements, the offset and the
        line reached, the file's size and whether it is read to its end."""
        cr = self.env.cr
        cr.execute(SQL("DROP TABLE IF EXISTS service_part_import_raw"))
        cr.execute(
            SQL(
                "CREATE TEMP TABLE service_part_import_raw (line integer, %s) ON COMMIT DROP",
                SQL(", ").join(
                    SQL("%s text", SQL.identifier(col)) for col in STAGING_COLUMNS + PARSED_COLUMNS
                ),
            )
        )
        # Only the mapped columns travel (the others stay NULL, as an empty
        # cell would be read).
        mapped = [
            (col, columns[fname])
            for col, (fname, _label, _names) in zip(STAGING_COLUMNS, IMPORT_COLUMNS, strict=True)
            if fname in columns
        ]
        copy_sql = SQL(
            "COPY service_part_import_raw (line, %s) FROM STDIN",
            SQL(", ").join(
                SQL.identifier(col) for col in [col for col, _index in mapped] + PARSED_COLUMNS
            ),
        ).code
        order = [index for _col, index in mapped]
        # The cells of a row at once (C), a row too short for them one by one.
        cells_of = operator.itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
        width, tabs = max(order) + 1, len(order) - 1
        at = {col: position for position, (col, _index) in enumerate(mapped)}
        parse = _line_parser(*(at.get(col) for col in PARSED_FROM))
        buffer, copies, position, at_end = [], 0, [offset], True

        def flush():
            cr.copy_expert(copy_sql, io.StringIO("".join(buffer)))
            buffer.clear()

        with self._open_file() as stream:
            file_size = stream.seek(0, io.SEEK_END)
            if self._is_xlsx():
                rows = self._iter_xlsx_rows(stream)
            else:
                rows = self._iter_csv_rows(stream, offset, position)
            if not line_no:
                next(rows, None)  # the header
                line_no = 1
            count = 0
            for row in rows:
                line_no += 1
                count += 1
                # Not a blank line (no cell but spaces); the same as any(cell.strip()).
                if "".join(row).strip():
                    if len(row) >= width:
                        cells = cells_of(row)
                    else:
                        size = len(row)
                        cells = tuple(row[index] if index < size else "" for index in order)
                    text = "\t".join(cells)
                    if "\\" in text or "\n" in text or "\r" in text or text.count("\t") != tabs:
                        # Rare: a cell to escape for COPY's text format.
                        size = len(row)
                        text = "\t".join(
                            _copy_escape(row[index]) if index < size else "" for index in order
                        )
                    buffer.append(f"{line_no}\t{text}\t{parse(cells)}\n")
                    if len(buffer) >= COPY_BATCH:
                        flush()
                        copies += 1
                        self._set_progress(
                            int(500 * position[0] / (file_size or 1)),
                            1000,
                            _("Reading the file: %(lines)s lines so far", lines=line_no),
                        )
                if limit and count >= limit:
                    at_end = position[0] >= file_size
                    break
        if buffer:
            flush()
            copies += 1
        return copies, file_size if at_end else position[0], line_no, file_size, at_end

    def _stage_checked(self):
        """The lines just read (service_part_import_raw) as typed lines into
        service_part_import_staged, each refused one with its reason, the
        accepted ones in the bucket of their code (counted per bucket in
        service_part_import_bucket), those that would change nothing marked
        unchanged: their part found by this supplier's number, its numbers
        and this price already there, as _apply_staged would leave them.
        Returns the numbers of lines, rejected and unchanged lines."""
        cr = self.env.cr
        supplier = self.partner_id.commercial_partner_id.id
        company = self.company_id.id

        def number_known(column, code_type):
            # The number on the part as _apply_staged adds it, or for every company.
            return SQL(
                """(k.%(column)s IS NULL OR EXISTS (
                       SELECT 1 FROM service_part_crossref x
                        WHERE x.product_id = k.known_product AND x.code_type = %(type)s
                          AND x.partner_id IS NULL AND x.normalized_code = k.%(column)s
                          AND (x.company_id IS NULL OR x.company_id = %(company)s)))""",
                column=SQL.identifier(column),
                type=code_type,
                company=company,
            )

        # This price as _apply_staged would leave it: there, and every price
        # of the part at this quantity the same (one look at them).
        same_price = SQL(
            """(SELECT bool_and((s.price, s.currency_id, s.delay, s.product_code)
                               IS NOT DISTINCT FROM (k.price, k.currency_id, k.delay, k.code))
                  FROM product_supplierinfo s
                 WHERE s.partner_id = %(supplier)s AND s.product_tmpl_id = k.known_tmpl
                   AND s.product_id IS NULL AND s.min_qty = k.min_qty
                   AND s.company_id = %(company)s) IS TRUE""",
            supplier=supplier,
            company=company,
        )

        staged_columns = SQL(", ").join(SQL.identifier(col) for col in STAGED_COLUMNS)
        cr.execute(
            SQL(
                """
                -- Materialized (here and below): what is read several times
                -- is computed once, not its casts and probes again at each
                -- reference.
                WITH checked AS MATERIALIZED (
                    SELECT t.*, CASE
                               WHEN t.ncode = '' THEN 'empty_code'
                               WHEN greatest(length(t.code), length(t.oem), length(t.analog),
                                             length(t.barcode)) > %(max_code)s THEN 'long_code'
                               WHEN t.price IS NULL THEN 'bad_price'
                               WHEN t.currency_id IS NULL THEN 'unknown_currency'
                               WHEN t.min_qty IS NULL OR t.delay IS NULL THEN 'bad_quantity'
                           END::varchar AS reject
                      FROM (
                        -- The normalized numbers, price, quantity and lead time
                        -- come checked from the reading (_line_parser): a
                        -- regular expression per cell costs PostgreSQL several
                        -- times what it costs Python.
                        SELECT r.line,
                               trim(r.code) AS code, r.ncode,
                               NULLIF(trim(r.name), '') AS name,
                               NULLIF(trim(r.oem), '') AS oem, r.noem,
                               NULLIF(trim(r.analog), '') AS analog, r.nanalog,
                               NULLIF(trim(r.barcode), '') AS barcode, r.nbarcode,
                               r.price AS raw_price, r.currency AS raw_currency,
                               r.nprice::numeric AS price,
                               CASE WHEN NULLIF(trim(r.currency), '') IS NULL THEN %(currency)s
                                    ELSE cur.id END AS currency_id,
                               r.nmin_qty::numeric AS min_qty,
                               r.ndelay::integer AS delay,
                               NULL::integer AS first_line
                          FROM service_part_import_raw r
                          LEFT JOIN res_currency cur ON cur.name = upper(trim(r.currency))
                    ) t
                ), k AS (
                    -- The part _apply_staged would find by this supplier's number.
                    SELECT c.*, known.product_id AS known_product, known.tmpl_id AS known_tmpl
                      FROM checked c
                      LEFT JOIN LATERAL (
                           SELECT x.product_id, x.product_tmpl_id AS tmpl_id
                             FROM service_part_crossref x
                            WHERE c.reject IS NULL AND x.code_type = 'supplier'
                              AND x.partner_id = %(supplier)s AND x.normalized_code = c.ncode
                              AND (x.company_id IS NULL OR x.company_id = %(company)s)
                            ORDER BY x.product_id LIMIT 1) known ON true
                ), u AS MATERIALIZED (
                    SELECT k.*, (k.known_product IS NOT NULL AND %(same)s
                                 AND %(oem)s AND %(analog)s AND %(barcode)s) AS unchanged
                      FROM k
                ), ins AS (
                    INSERT INTO service_part_import_staged (import_id, bucket, %(columns)s)
                    SELECT %(import)s,
                           CASE WHEN u.reject IS NULL THEN (hashtext(u.ncode) & %(mask)s)::smallint
                           END,
                           line, code, ncode, name, oem, noem, analog, nanalog, barcode,
                           nbarcode, raw_price, raw_currency, price, currency_id, min_qty, delay,
                           reject, first_line, unchanged,
                           CASE WHEN unchanged THEN known_product END,
                           CASE WHEN unchanged THEN known_tmpl END
                      FROM u
                    RETURNING bucket, reject, unchanged
                ), buckets AS (
                    INSERT INTO service_part_import_bucket (import_id, bucket, lines, changed)
                    SELECT %(import)s, bucket, count(*), count(*) FILTER (WHERE NOT unchanged)
                      FROM ins WHERE bucket IS NOT NULL GROUP BY bucket
                    ON CONFLICT (import_id, bucket) DO UPDATE
                       SET lines = service_part_import_bucket.lines + EXCLUDED.lines,
                           changed = service_part_import_bucket.changed + EXCLUDED.changed
                )
                SELECT count(*), count(*) FILTER (WHERE reject IS NOT NULL),
                       count(*) FILTER (WHERE unchanged)
                  FROM ins
                """,
                currency=self.default_currency_id.id,
                max_code=MAX_CODE_LENGTH,
                supplier=supplier,
                company=company,
                same=same_price,
                oem=number_known("noem", "oem"),
                analog=number_known("nanalog", "analog"),
                barcode=number_known("nbarcode", "barcode"),
                columns=staged_columns,
                mask=BUCKETS - 1,
                **{"import": self.id},
            )
        )
        return cr.fetchone()

    def _plan_batches(self):
        """Once the whole file is read: its buckets of codes into batches of
        about the configured size (unchanged lines weighing a tenth), in
        service_part_import_bucket. Returns the first batch, None when no line
        was accepted."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH w AS (
                    SELECT bucket, changed + (lines - changed)::numeric / %(weight)s AS w
                      FROM service_part_import_bucket WHERE import_id = %(import)s
                ), t AS (
                    SELECT sum(w) AS total, greatest(ceil(sum(w) / %(size)s), 1) AS k FROM w
                ), p AS (
                    SELECT w.bucket,
                           floor((sum(w.w) OVER (ORDER BY w.bucket) - w.w) * t.k / t.total)
                               ::integer AS chunk
                      FROM w, t
                )
                UPDATE service_part_import_bucket b SET chunk = p.chunk
                  FROM p
                 WHERE b.import_id = %(import)s AND b.bucket = p.bucket
                RETURNING b.chunk
                """,
                weight=UNCHANGED_WEIGHT,
                size=self._chunk_size(),
                **{"import": self.id},
            )
        )
        chunks = {chunk for (chunk,) in cr.fetchall()}
        action_records(self).write({"chunk_count": len(chunks), "chunk_done_count": 0})
        return min(chunks) if chunks else None

    def _import_chunk(self, chunk):
        """Create and update the parts, numbers and prices of the batch
        ``chunk``: a fixed number of set-based statements, whatever its size;
        its lines leave the staging table, but for those rejected."""
        self.ensure_one()
        started = time.monotonic()
        cr = self.env.cr
        self.env.flush_all()
        queries_before = cr.sql_log_count
        self._no_jit()
        cr.execute(
            SQL(
                "SELECT min(bucket), max(bucket) FROM service_part_import_bucket"
                " WHERE import_id = %s AND chunk = %s",
                self.id,
                chunk,
            )
        )
        low, high = cr.fetchone()
        in_batch = SQL(
            "import_id = %s AND bucket BETWEEN %s AND %s AND reject IS NULL", self.id, low, high
        )
        cr.execute(SQL("DROP TABLE IF EXISTS service_part_import_row"))
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE service_part_import_row ON COMMIT DROP AS
                SELECT %(columns)s, false AS is_new
                  FROM service_part_import_staged WHERE %(in_batch)s
                """,
                columns=SQL(", ").join(SQL.identifier(col) for col in STAGED_COLUMNS),
                in_batch=in_batch,
            )
        )
        cr.execute(SQL("ANALYZE service_part_import_row"))
        done = self.chunk_done_count
        if done and not done & (done - 1):
            # After 1, 2, 4, 8... batches: the supplier's numbers and prices
            # as the planner counts them. A new supplier's are none in the
            # statistics (autovacuum analyzes a table of millions of numbers
            # after a tenth of it changed): the matches by supplier then
            # take the supplier's rows for one, read them once per line of
            # the batch, and a batch of 20,000 lines went from 4 s to 90 s
            # over the first 100,000 lines of a catalog on 15,000,000 numbers.
            # (ANALYZE reads a sample: about a second there; it counts this
            # transaction's rows.)
            # Only the columns those matches filter on: the sample is read
            # all the same, but the statistics of the numbers themselves
            # (sorting tens of thousands of texts) are not made again.
            cr.execute(
                SQL(
                    "ANALYZE service_part_crossref (partner_id, code_type, company_id),"
                    " product_supplierinfo (partner_id, company_id)"
                )
            )
        # The same supplier code with the same minimum quantity twice: keep
        # the first (all lines of a code are in its bucket, so in this batch).
        cr.execute(
            SQL(
                """
                UPDATE service_part_import_row r SET reject = 'duplicate', first_line = d.first_line
                  FROM (SELECT line, first_value(line) OVER w AS first_line,
                               row_number() OVER w AS rn
                          FROM service_part_import_row
                        WINDOW w AS (PARTITION BY ncode, min_qty ORDER BY line)) d
                 WHERE d.line = r.line AND d.rn > 1
                """
            )
        )
        counts = self._apply_staged()
        # The batch's lines are done with; those refused on the way
        # (duplicates) stay for the report with the others. (Not an UPDATE
        # of the staged lines from the batch's: its plan joined them by a
        # scan of the batch per line, minutes a batch.)
        cr.execute(SQL("DELETE FROM service_part_import_staged WHERE %s", in_batch))
        if counts["rejected_count"]:
            cr.execute(
                SQL(
                    """
                    INSERT INTO service_part_import_staged (import_id, line, code, name,
                           raw_price, raw_currency, reject, first_line)
                    SELECT %s, line, code, name, raw_price, raw_currency, reject, first_line
                      FROM service_part_import_row WHERE reject IS NOT NULL
                    """,
                    self.id,
                )
            )
        self.env.invalidate_all()
        vals = {fname: self[fname] + count for fname, count in counts.items()}
        vals.update(
            chunk_done_count=self.chunk_done_count + 1,
            query_count=self.query_count + cr.sql_log_count - queries_before + 1,
            duration=self.duration + time.monotonic() - started,
        )
        action_records(self).write(vals)

    def _next_chunk(self, chunk):
        """The batch after ``chunk``, None after the last."""
        self.env.cr.execute(
            SQL(
                "SELECT min(chunk) FROM service_part_import_bucket"
                " WHERE import_id = %s AND chunk > %s",
                self.id,
                chunk,
            )
        )
        return self.env.cr.fetchone()[0]

    def _finish_import(self):
        """Once the last batch is in: the rejected lines' report, the
        summary, the import done; its staged lines go."""
        self.ensure_one()
        report = self._rejected_report()
        self._drop_staged()
        vals = {
            "state": "done",
            "error": False,
            "report_file": report and base64.b64encode(report),
            "report_file_name": report and _("rejected_lines.csv"),
        }
        action_records(self).write(vals)
        self.message_post(
            body=_(
                "Catalog imported: %(lines)s lines, %(created)s new parts, %(matched)s parts "
                "found, %(prices)s prices added, %(updated)s prices updated, %(rejected)s "
                "lines rejected.",
                lines=self.line_count,
                created=self.part_created_count,
                matched=self.part_matched_count,
                prices=self.price_created_count,
                updated=self.price_updated_count,
                rejected=self.rejected_count,
            )
        )
        self._set_progress(1, 1, _("Done"))
        return self.read(list(RESULT_FIELDS - {"report_file"}))[0]

    def _template_defaults(self, model_name, explicit, base_vals=None):
        """Column values of a model for rows inserted in SQL: what the ORM
        would have stored on create() (defaults and computed stored fields of a
        prototype record), minus the columns the statement sets itself."""
        Model = self.env[model_name]
        proto = Model.new(base_vals or {})
        result = []
        for fname, field in Model._fields.items():
            if (
                fname in explicit
                or fname in models.LOG_ACCESS_COLUMNS
                or not field.store
                or not field.column_type
                or field.inherited
                or field.translate
                or field.company_dependent
                or field.type in ("many2many", "one2many", "binary", "properties", "json")
            ):
                continue
            value = field.convert_to_write(proto[fname], proto)
            if (value in (None, False) and field.type != "boolean") or isinstance(
                value, models.NewId
            ):
                continue
            result.append((fname, field.convert_to_column(value, proto)))
        return result

    def _apply_staged(self):
        """Parts, numbers and prices of the lines of one batch
        (service_part_import_row): one part per supplier code, one price per
        minimum quantity (price breaks). Returns the counters to add."""
        cr = self.env.cr
        supplier = self.partner_id.commercial_partner_id.id
        company = self.company_id.id
        uid = self.env.uid
        cr.execute(
            SQL(
                "SELECT count(*) FROM service_part_import_row"
                " WHERE reject IS NULL AND NOT unchanged"
            )
        )
        if not cr.fetchone()[0]:
            # Nothing but lines that change nothing (their parts came with
            # them, see _stage_checked): two of them never share a price.
            return self._applied_counts(0, 0, 0)
        # Known parts: by this supplier's number, else by the OEM number (the
        # first part of each number). A probe of the numbers' index per
        # number of the batch (LATERAL ... LIMIT 1): joined as sets, the
        # planner read all the numbers of the type instead (a scan of
        # 1,000,000 OEM numbers, 2 s a batch on a catalog of 1,000,000
        # parts, five times that at 5,000,000).
        cr.execute(
            SQL(
                """
                UPDATE service_part_import_row r
                   SET product_id = c.product_id, tmpl_id = c.product_tmpl_id
                  FROM (SELECT DISTINCT ncode FROM service_part_import_row
                         WHERE reject IS NULL AND NOT unchanged) n
                 CROSS JOIN LATERAL (
                       SELECT x.product_id, x.product_tmpl_id FROM service_part_crossref x
                        WHERE x.normalized_code = n.ncode AND x.code_type = 'supplier'
                          AND x.partner_id = %(supplier)s
                          AND (x.company_id IS NULL OR x.company_id = %(company)s)
                        ORDER BY x.product_id LIMIT 1) c
                 WHERE r.reject IS NULL AND NOT r.unchanged AND r.ncode = n.ncode
                """,
                supplier=supplier,
                company=company,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE service_part_import_row r
                   SET product_id = c.product_id, tmpl_id = c.product_tmpl_id
                  FROM (SELECT DISTINCT noem FROM service_part_import_row
                         WHERE reject IS NULL AND product_id IS NULL AND noem IS NOT NULL) n
                 CROSS JOIN LATERAL (
                       SELECT x.product_id, x.product_tmpl_id FROM service_part_crossref x
                        WHERE x.normalized_code = n.noem AND x.code_type = 'oem'
                          AND (x.company_id IS NULL OR x.company_id = %(company)s)
                        ORDER BY x.product_id LIMIT 1) c
                 WHERE r.reject IS NULL AND r.product_id IS NULL AND r.noem = n.noem
                """,
                company=company,
            )
        )
        # One supplier code is one part, whatever its lines say (price breaks:
        # a line per minimum quantity, the OEM number maybe on one of them).
        cr.execute(
            SQL(
                """
                UPDATE service_part_import_row r
                   SET product_id = m.product_id, tmpl_id = m.tmpl_id
                  FROM (SELECT DISTINCT ON (ncode) ncode, product_id, tmpl_id
                          FROM service_part_import_row
                         WHERE reject IS NULL AND product_id IS NOT NULL
                         ORDER BY ncode, line) m
                 WHERE r.reject IS NULL AND r.ncode = m.ncode
                   AND r.product_id IS DISTINCT FROM m.product_id
                """
            )
        )
        # Two different codes of the file landing on one part with the same
        # minimum quantity would fight over one price: keep the first.
        cr.execute(
            SQL(
                """
                UPDATE service_part_import_row r SET reject = 'duplicate', first_line = d.first_line
                  FROM (SELECT line, first_value(line) OVER w AS first_line,
                               row_number() OVER w AS rn
                          FROM service_part_import_row
                         WHERE reject IS NULL AND product_id IS NOT NULL
                        WINDOW w AS (PARTITION BY product_id, min_qty ORDER BY line)) d
                 WHERE d.line = r.line AND d.rn > 1
                """
            )
        )
        # New parts, one per supplier code: ids drawn from the sequences so
        # rows map to their records.
        cr.execute(
            SQL(
                """
                UPDATE service_part_import_row r
                   SET is_new = true, tmpl_id = n.tmpl_id, product_id = n.product_id
                  FROM (SELECT ncode, nextval('product_template_id_seq') AS tmpl_id,
                               nextval('product_product_id_seq') AS product_id
                          FROM (SELECT DISTINCT ncode FROM service_part_import_row
                                 WHERE reject IS NULL AND product_id IS NULL) codes) n
                 WHERE r.reject IS NULL AND r.product_id IS NULL AND r.ncode = n.ncode
                """
            )
        )
        # Bulk creation of the parts themselves: create() per line would cost
        # dozens of queries each; the ORM defaults are computed once instead.
        # They are the importing company's parts, like its prices and numbers:
        # a supplier's catalog is what one company buys, not everyone's.
        tmpl_explicit = {
            "id", "name", "type", "is_storable", "is_spare_part", "categ_id", "tracking",
            "manufacturer_part_number", "active", "purchase_ok", "sale_ok", "default_code",
            "company_id",
        }  # fmt: skip
        tmpl_defaults = self._template_defaults(
            "product.template",
            tmpl_explicit,
            {
                "name": "-",
                "type": "consu",
                "is_storable": True,
                "is_spare_part": True,
                "categ_id": self.categ_id.id,
                "purchase_ok": True,
                "sale_ok": True,
            },
        )
        cr.execute(
            SQL(
                """
                INSERT INTO product_template (id, name, type, is_storable, is_spare_part,
                       categ_id, manufacturer_part_number, active, purchase_ok, sale_ok, tracking,
                       company_id, create_uid, write_uid, create_date, write_date %(extra_cols)s)
                SELECT DISTINCT ON (tmpl_id) tmpl_id,
                       jsonb_build_object('en_US', COALESCE(name, code)), 'consu',
                       true, true, %(categ)s, oem, true, true, true, 'none', %(company)s,
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                       %(extra_vals)s
                  FROM service_part_import_row WHERE is_new
                 ORDER BY tmpl_id, line
                """,
                extra_cols=SQL("").join(SQL(", %s", SQL.identifier(f)) for f, _v in tmpl_defaults),
                extra_vals=SQL("").join(SQL(", %s", v) for _f, v in tmpl_defaults),
                categ=self.categ_id.id,
                company=company,
                uid=uid,
            )
        )
        product_explicit = {
            "id", "product_tmpl_id", "active", "combination_indices", "default_code", "barcode",
        }  # fmt: skip
        product_defaults = self._template_defaults("product.product", product_explicit)
        cr.execute(
            SQL(
                """
                INSERT INTO product_product (id, product_tmpl_id, active, combination_indices,
                       create_uid, write_uid, create_date, write_date %(extra_cols)s)
                SELECT DISTINCT ON (product_id) product_id, tmpl_id, true, '', %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC' %(extra_vals)s
                  FROM service_part_import_row WHERE is_new
                 ORDER BY product_id
                """,
                extra_cols=SQL("").join(
                    SQL(", %s", SQL.identifier(f)) for f, _v in product_defaults
                ),
                extra_vals=SQL("").join(SQL(", %s", v) for _f, v in product_defaults),
                uid=uid,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO service_part_crossref (product_id, product_tmpl_id, code, code_type,
                       partner_id, normalized_code, company_id,
                       create_uid, write_uid, create_date, write_date)
                SELECT x.product_id, x.tmpl_id, x.code, x.code_type, x.partner_id, x.ncode,
                       %(company)s, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM (
                      SELECT product_id, tmpl_id, code, 'supplier' AS code_type,
                             %(supplier)s AS partner_id, ncode, is_new
                        FROM service_part_import_row WHERE reject IS NULL AND NOT unchanged
                      UNION ALL
                      SELECT product_id, tmpl_id, oem, 'oem', NULL, noem, is_new
                        FROM service_part_import_row WHERE reject IS NULL AND NOT unchanged AND noem IS NOT NULL
                      UNION ALL
                      SELECT product_id, tmpl_id, analog, 'analog', NULL, nanalog, is_new
                        FROM service_part_import_row
                       WHERE reject IS NULL AND NOT unchanged AND nanalog IS NOT NULL
                      UNION ALL
                      SELECT product_id, tmpl_id, barcode, 'barcode', NULL, nbarcode, is_new
                        FROM service_part_import_row
                       WHERE reject IS NULL AND NOT unchanged AND nbarcode IS NOT NULL
                  ) x
                 -- The company's own numbers, also on a shared part, unless
                 -- the part already has it for every company.
                 WHERE x.is_new OR NOT EXISTS (
                       SELECT 1 FROM service_part_crossref c
                        WHERE c.normalized_code = x.ncode AND c.product_id = x.product_id
                          AND c.code_type = x.code_type
                          AND c.partner_id IS NOT DISTINCT FROM x.partner_id
                          AND c.company_id IS NULL)
                ON CONFLICT ON CONSTRAINT service_part_crossref_crossref_unique DO NOTHING
                """,
                supplier=supplier,
                company=company,
                uid=uid,
            )
        )
        crossrefs = cr.rowcount
        cr.execute(
            SQL(
                """
                UPDATE product_supplierinfo s
                   SET price = r.price, currency_id = r.currency_id, delay = r.delay,
                       product_code = r.code, write_uid = %(uid)s,
                       write_date = now() at time zone 'UTC'
                  FROM service_part_import_row r
                 WHERE r.reject IS NULL AND NOT r.is_new AND NOT r.unchanged
                   AND s.partner_id = %(supplier)s AND s.product_tmpl_id = r.tmpl_id
                   AND s.product_id IS NULL AND s.min_qty = r.min_qty
                   AND s.company_id = %(company)s
                   AND (s.price, s.currency_id, s.delay, s.product_code)
                       IS DISTINCT FROM (r.price, r.currency_id, r.delay, r.code)
                """,
                supplier=supplier,
                company=company,
                uid=uid,
            )
        )
        prices_updated = cr.rowcount
        seller_explicit = {
            "partner_id", "product_tmpl_id", "product_id", "product_code", "price",
            "currency_id", "min_qty", "delay", "company_id", "product_name",
        }  # fmt: skip
        seller_defaults = self._template_defaults("product.supplierinfo", seller_explicit)
        cr.execute(
            SQL(
                """
                INSERT INTO product_supplierinfo (partner_id, product_tmpl_id, product_code,
                       price, currency_id, min_qty, delay, company_id,
                       create_uid, write_uid, create_date, write_date %(extra_cols)s)
                SELECT %(supplier)s, r.tmpl_id, r.code, r.price, r.currency_id, r.min_qty,
                       r.delay, %(company)s, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC' %(extra_vals)s
                  FROM service_part_import_row r
                 WHERE r.reject IS NULL AND NOT r.unchanged
                   AND NOT EXISTS (
                       SELECT 1 FROM product_supplierinfo s
                        WHERE s.partner_id = %(supplier)s AND s.product_tmpl_id = r.tmpl_id
                          AND s.product_id IS NULL AND s.min_qty = r.min_qty
                          AND s.company_id = %(company)s)
                """,
                extra_cols=SQL("").join(
                    SQL(", %s", SQL.identifier(f)) for f, _v in seller_defaults
                ),
                extra_vals=SQL("").join(SQL(", %s", v) for _f, v in seller_defaults),
                supplier=supplier,
                company=company,
                uid=uid,
            )
        )
        prices_created = cr.rowcount
        return self._applied_counts(crossrefs, prices_created, prices_updated)

    def _applied_counts(self, crossrefs, prices_created, prices_updated):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE reject IS NOT NULL),
                       count(DISTINCT tmpl_id) FILTER (WHERE is_new),
                       count(DISTINCT tmpl_id) FILTER (WHERE reject IS NULL AND NOT is_new)
                  FROM service_part_import_row
                """
            )
        )
        rejected, created, matched = cr.fetchone()
        return {
            "rejected_count": rejected,
            "part_created_count": created,
            "part_matched_count": matched,
            "crossref_created_count": crossrefs,
            "price_created_count": prices_created,
            "price_updated_count": prices_updated,
        }

    def _rejected_report(self):
        """CSV bytes of the rejected lines with the reason, or None."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT r.line, r.code, r.name, r.raw_price, r.raw_currency, r.reject,
                       r.first_line
                  FROM service_part_import_staged r
                 WHERE r.import_id = %s AND r.reject IS NOT NULL
                 ORDER BY r.line
                """,
                self.id,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return None
        reasons = {
            "empty_code": _("empty supplier code"),
            "long_code": _("a number longer than %(max)s characters", max=MAX_CODE_LENGTH),
            "bad_price": _("bad price"),
            "unknown_currency": _("unknown currency"),
            "bad_quantity": _("bad minimum quantity or lead time"),
        }
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [_("Line"), _("Supplier Code"), _("Name"), _("Price"), _("Currency"), _("Reason")]
        )
        for line, code, name, price, currency, reject, first_line in rows:
            reason = (
                _("duplicate of line %(line)s", line=first_line)
                if reject == "duplicate"
                else reasons[reject]
            )
            # The supplier's cells as written, but never as formulas (csv_cells).
            writer.writerow(
                csv_row([line, code or "", name or "", price or "", currency or "", reason])
            )
        return out.getvalue().encode("utf-8")
