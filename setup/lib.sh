# shellcheck shell=bash
# Shared by setup/serve and setup/test: installs what is missing, idempotently.
# Everything heavy lives outside the repository (a clone of main reuses it):
#   $SERVICE_DESK_HOME (default ~/.cache/service-desk): virtualenv, Odoo data dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
SD_HOME=${SERVICE_DESK_HOME:-$HOME/.cache/service-desk}
VENV=${SERVICE_DESK_VENV:-$SD_HOME/venv}
PY=$VENV/bin/python
# The packaging tools (setup/requirements-tools.txt) live in a venv of their
# own: OCA's module checks pin a polib that Odoo's requirements pin otherwise.
TOOLS_VENV=${SERVICE_DESK_TOOLS_VENV:-$SD_HOME/tools-venv}
TOOLS_PY=$TOOLS_VENV/bin/python
DATA_DIR=$SD_HOME/data
# Bump when the way the base template is built changes (it is part of its key).
BASE_RECIPE=1
export PIP_CONSTRAINT=$ROOT/setup/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK=1

DEBIAN_PACKAGES=(
    postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev
    libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev
    wkhtmltopdf fonts-dejavu-core fonts-liberation poppler-utils
    chromium
)

log() { printf '\033[1m[service-desk]\033[0m %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_odoo_source() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/setup.py" ]; then
        die "Odoo 18.0 Community source not found at $ODOO_SRC (no odoo-bin/setup.py).
  Odoo is not published on any package registry. Put an Odoo 18.0 Community
  checkout there (git clone -b 18.0 --depth 1 <Odoo's official repository> $ODOO_SRC)
  or point ODOO_SRC at one, then run this command again. Nothing was installed."
    fi
    grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC is not Odoo 18.0 (odoo/release.py). Nothing was installed."
}

install_debian_packages() {
    local missing=()
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then return 0; fi
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Odoo prints a report's header and footer (company logo, address, page
# numbers) only with wkhtmltopdf 0.12.6.1 built against wkhtmltopdf's patched
# Qt; Debian's package is unpatched and prints the acts without them. Odoo
# runs either: warn, do not fail (docs/deploy.md says where the patched one is).
check_wkhtmltopdf() {
    local bin=${WKHTMLTOPDF:-wkhtmltopdf} version
    if ! version=$("$bin" --version 2>/dev/null); then
        log "WARNING: $bin not found: Odoo cannot print PDF reports (docs/deploy.md, wkhtmltopdf)"
        return 0
    fi
    case "$version" in
        *"(with patched qt)"*) ;;
        *) log "WARNING: $version is not built with patched Qt: PDF reports print without the company's header and footer (docs/deploy.md, wkhtmltopdf)" ;;
    esac
}

start_postgresql() {
    if ! pg_isready -q 2>/dev/null; then
        log "starting PostgreSQL"
        local version
        version=$(ls /etc/postgresql | sort -V | tail -n 1)
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not start"
    fi
    # A fresh Debian cluster knows only the postgres role: give ours one.
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        log "creating PostgreSQL role $(id -un)"
        su postgres -c "createuser --superuser $(id -un)" 2>/dev/null \
            || sudo -u postgres createuser --superuser "$(id -un)"
    fi
}

# pip install into the suite's virtualenv, or into $PIP_PYTHON's.
pip_install() {
    local out
    if ! out=$("${PIP_PYTHON:-$PY}" -m pip install -q "$@" 2>&1); then
        printf '%s\n' "$out" | grep -v "^WARNING: Location" >&2
        die "pip install $* failed"
    fi
}

# True when the virtualenv $1 exists and its stamp says it was built from $2.
venv_current() {
    [ -x "$1/bin/python" ] && [ -f "$1/.service-desk-stamp" ] && [ "$(cat "$1/.service-desk-stamp")" = "$2" ]
}

venv_create() {
    mkdir -p "$SD_HOME"
    [ -x "$1/bin/python" ] || python3 -m venv "$1"
}

install_python() {
    # The stamp says which requirements the venv was built from; rebuild on change.
    local want
    want=$(cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt" "$ROOT/setup/constraints.txt" \
        | sha1sum | cut -c1-16)-$(cd "$ODOO_SRC" && pwd)
    venv_current "$VENV" "$want" && return 0
    log "installing Python packages into $VENV (Odoo from $ODOO_SRC)"
    venv_create "$VENV"
    pip_install --upgrade "pip<25" wheel "setuptools<70"
    pip_install -r "$ODOO_SRC/requirements.txt"
    pip_install -e "$ODOO_SRC"
    pip_install -r "$ROOT/requirements.txt"
    "$PY" -c "import odoo, pytest_odoo, odoo.release; assert odoo.release.version_info[:2] == (18, 0)" \
        || die "the Python environment is incomplete (see pip's messages above)"
    echo "$want" >"$VENV/.service-desk-stamp"
}

# The packaging tools: README generator's pandoc, OCA's module checks. Not
# part of any template database's key (they change no database).
install_tools() {
    local want
    want=$(sha1sum <"$ROOT/requirements-tools.txt" | cut -c1-16)
    venv_current "$TOOLS_VENV" "$want" && return 0
    log "installing the packaging tools into $TOOLS_VENV"
    venv_create "$TOOLS_VENV"
    PIP_PYTHON=$TOOLS_PY pip_install -r "$ROOT/requirements-tools.txt"
    echo "$want" >"$TOOLS_VENV/.service-desk-stamp"
}

# Addons of the suite: every folder with a manifest under addons/ and the root.
suite_addon_dirs() {
    (cd "$ROOT" && for m in addons/*/__manifest__.py */__manifest__.py; do
        if [ -f "$m" ]; then dirname "$m"; fi
    done)
}

suite_addons() {
    suite_addon_dirs | xargs -n1 basename | sort
}

site_addons_dir() {
    "$PY" -c "import sysconfig, os; print(os.path.join(sysconfig.get_paths()['purelib'], 'odoo', 'addons'))"
}

# A free TCP port on 127.0.0.1: several test runs (clones, CI beside a
# developer's run) each start their own HTTP server for the browser tours.
free_port() {
    "$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

write_odoo_config() {
    # $1: path of the config file, $2: database name
    local conf=$1 db=$2
    mkdir -p "$DATA_DIR" "$(dirname "$conf")"
    cat >"$conf" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$(site_addons_dir),$ROOT/addons,$ROOT
data_dir = $DATA_DIR
db_name = $db
db_user = $(id -un)
db_host = False
db_port = False
admin_passwd = admin
list_db = False
without_demo = False
http_interface = 127.0.0.1
http_port = ${SD_HTTP_PORT:-$(free_port)}
max_cron_threads = 0
CONF
}

install_all() {
    check_odoo_source
    install_debian_packages
    check_wkhtmltopdf
    start_postgresql
    install_python
    install_tools
}

db_exists() {
    [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$1'")" = "1" ]
}

# The filestore is part of an Odoo database: copy it with the database.
copy_filestore() {
    local src=$DATA_DIR/filestore/$1 dst=$DATA_DIR/filestore/$2
    rm -rf "$dst"
    if [ -d "$src" ]; then
        mkdir -p "$(dirname "$dst")"
        cp -al "$src" "$dst"
    fi
}

drop_database() {
    dropdb --if-exists "$1"
    rm -rf "${DATA_DIR:?}/filestore/$1"
}

# Odoo addons the suite depends on (outside the suite), for the base template.
external_depends() {
    "$PY" - "$ROOT" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
manifests = {m.parent.name: ast.literal_eval(m.read_text())
             for m in [*root.glob("addons/*/__manifest__.py"), *root.glob("*/__manifest__.py")]}
deps = {d for m in manifests.values() for d in m.get("depends", [])} - set(manifests)
print(",".join(sorted(deps)))
PY
}

# Hash of what an installed database depends on: the addons' code and data,
# not their tests (a test change needs no reinstall), nor their documentation
# (README.rst and static/description/ are read from the files; the Apps page's
# copy of a README is refreshed by Update Apps List, as tests/test_packaging.py does).
suite_hash() {
    (
        cd "$ROOT"
        # shellcheck disable=SC2046
        git ls-files -co --exclude-standard -- $(suite_addon_dirs) \
            | grep -v -E '(^|/)tests/|/static/tests/|/readme/|\.md$|(^|/)README\.rst$|/static/description/' | sort \
            | xargs -r sha1sum
        echo "$1"
    ) | sha1sum | cut -c1-12
}

odoo_bin() {
    "$PY" "$ODOO_SRC/odoo-bin" "$@"
}

# The base template's name: a hash of what it is built from.
base_template_name() {
    local hash
    hash=$( (echo "$(external_depends) $BASE_RECIPE"; cat "$ODOO_SRC/odoo/release.py" "$ROOT/requirements.txt"; \
        { "$PY" -m pip freeze 2>/dev/null | grep -i odoo-addon || true; }) | sha1sum | cut -c1-12)
    echo "sd_base_$hash"
}

# Build (once) the template databases: sd_base_<hash> with Odoo's addons the
# suite needs and Russian loaded, then sd_suite_<hash> with the suite on top.
# Prints the suite template's name. Several clones may test at once: building
# a template is locked per template, copying one (which needs it idle) under
# a short global lock.
ensure_templates() {
    local deps base suite tmp conf
    deps=$(external_depends)
    base=$(base_template_name)
    suite=sd_suite_$(suite_hash "${base#sd_base_}")
    mkdir -p "$SD_HOME"
    conf=$SD_HOME/template-$$.conf
    exec 8>"$SD_HOME/$base.lock"
    flock 8
    if ! db_exists "$base"; then
        log "building template $base (Odoo addons: $deps); this is done once"
        tmp=${base}_tmp
        drop_database "$tmp"
        write_odoo_config "$conf" "$tmp"
        odoo_bin -c "$conf" -d "$tmp" -i "$deps" --load-language=en_US,ru_RU \
            --stop-after-init --log-level=warn --no-http >"$SD_HOME/$base.log" 2>&1 \
            || { tail -n 40 "$SD_HOME/$base.log" >&2; drop_database "$tmp"; die "building $base failed (log: $SD_HOME/$base.log)"; }
        rename_database "$tmp" "$base"
    fi
    flock -u 8
    exec 8>"$SD_HOME/$suite.lock"
    flock 8
    if ! db_exists "$suite"; then
        log "building template $suite (suite addons)"
        tmp=${suite}_tmp
        drop_database "$tmp"
        copy_database "$base" "$tmp"
        write_odoo_config "$conf" "$tmp"
        odoo_bin -c "$conf" -d "$tmp" -i "$(suite_addons | paste -sd,)" \
            --stop-after-init --log-level=warn --no-http >"$SD_HOME/$suite.log" 2>&1 \
            || { tail -n 60 "$SD_HOME/$suite.log" >&2; drop_database "$tmp"; die "installing the suite failed (log: $SD_HOME/$suite.log)"; }
        if grep -E " (ERROR|CRITICAL) |demo data failed to install" "$SD_HOME/$suite.log" >&2; then
            drop_database "$tmp"
            die "installing the suite logged errors (log: $SD_HOME/$suite.log)"
        fi
        rename_database "$tmp" "$suite"
    fi
    flock -u 8
    rm -f "$conf"
    drop_stale_templates "$base" "$suite"
    echo "$suite"
}

# Upgrade the suite in an existing database: -u what is installed, -i only
# the addons that are new (-i on an installed addon loads it in init mode,
# its noupdate data and demo again). tests/test_upgrade.py runs it.
upgrade_suite() {
    local conf=$1 db=$2 installed update new
    installed=$(psql -d "$db" -Atqc "select name from ir_module_module where state = 'installed'" | sort)
    update=$(comm -12 <(suite_addons) <(echo "$installed") | paste -sd,)
    new=$(comm -23 <(suite_addons) <(echo "$installed") | paste -sd,)
    odoo_bin -c "$conf" -d "$db" ${new:+-i "$new"} ${update:+-u "$update"} \
        --stop-after-init --no-http --log-level=warn
}

# createdb -T needs the template idle: copies are serialised by a global lock.
copy_database() {
    (
        flock 7
        createdb -T "$1" "$2"
    ) 7>"$SD_HOME/copy.lock"
    copy_filestore "$1" "$2"
}

rename_database() {
    psql -d postgres -qc "ALTER DATABASE \"$1\" RENAME TO \"$2\""
    if [ -d "$DATA_DIR/filestore/$1" ]; then
        rm -rf "${DATA_DIR:?}/filestore/$2"
        mv "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"
    fi
}

# Keep the current templates and those built in the last day (other clones
# may be testing with them); drop older ones.
drop_stale_templates() {
    local db
    for db in $(psql -d postgres -Atqc "select datname from pg_database where datname ~ '^sd_(base|suite)_[0-9a-f]+$'"); do
        # another clone may be building or copying it right now
        [ -e "$SD_HOME/$db.lock" ] && ! flock -n "$SD_HOME/$db.lock" true && continue
        if [ "$db" = "$1" ] || [ "$db" = "$2" ]; then continue; fi
        if [ -z "$(find "$SD_HOME" -maxdepth 1 -name "$db.log" -mtime -1)" ]; then
            log "dropping stale template $db"
            drop_database "$db" || true
            rm -f "$SD_HOME/$db.log"
        fi
    done
}
