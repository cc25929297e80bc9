from .rpc_values import rpc_date, rpc_number, rpc_record, rpc_text
from .guarded import action_records
from .locking import lock_for_update
