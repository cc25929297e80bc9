from .csv_cells import csv_cell, csv_row
from .rpc_values import check_unicode
from .uploads import upload_limit, upload_size
from .rpc_values import (
    rpc_date,
    rpc_datetime,
    rpc_number,
    rpc_record,
    rpc_records,
    rpc_selection,
    rpc_text,
)
from .guarded import action_records
from .locking import lock_for_update
from .plural import count_text, plural_form
from .lang import user_lang_env
from .replica import on_replica
from .sequences import next_names
from .bulk import add_followers, log_notes, whole_batch_statements
