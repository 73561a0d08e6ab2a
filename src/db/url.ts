// Database URLs in SQLAlchemy's form, as nova.conf writes them:
//   sqlite://  sqlite:///relative.db  sqlite:////abs/path.db
//   mysql[+pymysql|+mysqldb]://user:pass@host:port/db?charset=utf8
//   postgresql[+psycopg2]://user:pass@host:port/db   (postgres:// too)
import { StartupError } from '../faults/fault.ts';

/** The engine family a URL names; dialects register under these. */
export type DbBackend = 'sqlite' | 'mysql' | 'postgresql';

export interface DbUrl {
  /** The URL exactly as given (it may hold a password: log `masked`, never this). */
  readonly raw: string;
  /** The same URL with the password replaced by `***`. */
  readonly masked: string;
  readonly backend: DbBackend;
  /** The Python driver named after `+` (pymysql, psycopg2…); informational only. */
  readonly driver: string;
  readonly username?: string;
  readonly password?: string;
  readonly host?: string;
  readonly port?: number;
  /** mysql/postgresql: the database name (undefined: the server itself). sqlite: the file path, or undefined for memory. */
  readonly database?: string;
  readonly query: Readonly<Record<string, string>>;
}

interface SchemeInfo {
  readonly backend: DbBackend;
  readonly drivers: readonly string[];
}

const SCHEMES: Readonly<Record<string, SchemeInfo>> = Object.freeze({
  sqlite: { backend: 'sqlite', drivers: ['', 'pysqlite'] },
  mysql: { backend: 'mysql', drivers: ['', 'pymysql', 'mysqldb', 'mysqlconnector'] },
  mariadb: { backend: 'mysql', drivers: ['', 'pymysql', 'mysqldb', 'mysqlconnector'] },
  postgresql: { backend: 'postgresql', drivers: ['', 'psycopg2', 'psycopg', 'pg8000'] },
  postgres: { backend: 'postgresql', drivers: ['', 'psycopg2', 'psycopg', 'pg8000'] },
});

const EXAMPLES =
  'sqlite:///path/nova.db, mysql+pymysql://user:pass@host/nova or postgresql://user:pass@host/nova';

// SQLAlchemy's own pattern (sqlalchemy/engine/url.py _parse_url), with named groups.
const URL_RE =
  /^(?<scheme>[\w+]+):\/\/(?:(?<user>[^:/]*)(?::(?<pass>[^@]*))?@)?(?:(?:\[(?<ipv6>[^/?]+)\]|(?<ipv4>[^/:?]+))?(?::(?<port>[^/?]*))?)?(?:\/(?<db>[^?]*))?(?:\?(?<query>.*))?$/s;

const PASSWORD_RE = /^([\w+]+:\/\/[^:/@]*:)[^@]*@/;

/** The URL with any password replaced by `***` (works on URLs that don't parse, too). */
export function maskUrl(url: string): string {
  return url.replace(PASSWORD_RE, '$1***@');
}

function fail(url: string, why: string, option: string): never {
  throw new StartupError(`Invalid database URL ${maskUrl(url)}: ${why}. Use ${EXAMPLES} in ${option}.`);
}

function decode(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseQuery(q: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!q) return out;
  for (const [k, v] of new URLSearchParams(q)) out[k] = v;
  return out;
}

export interface ParseOptions {
  /** Where the URL came from, for error messages: "[api_database] connection". */
  readonly option?: string;
}

/** Parses a SQLAlchemy URL; a bad one is a StartupError saying what to write instead. */
export function parseDbUrl(url: string, opts: ParseOptions = {}): DbUrl {
  const option = opts.option ?? '[database] connection';
  const m = URL_RE.exec(url.trim());
  if (!m?.groups) fail(url, 'not of the form dialect+driver://user:password@host:port/database', option);
  const g = m.groups;
  const [name, driver = ''] = g.scheme.toLowerCase().split('+', 2);
  const info = SCHEMES[name];
  if (!info) fail(url, `unknown database dialect '${name}'`, option);
  if (!info.drivers.includes(driver)) fail(url, `unknown driver '${driver}' for ${name}`, option);
  const query = Object.freeze(parseQuery(g.query));
  const masked = maskUrl(url.trim());
  if (info.backend === 'sqlite') {
    const path = decode(g.db);
    const memory = !path || path === ':memory:';
    return Object.freeze({
      raw: url.trim(),
      masked,
      backend: 'sqlite',
      driver,
      database: memory ? undefined : path,
      query,
    });
  }
  let port: number | undefined;
  if (g.port) {
    port = Number(g.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(url, `bad port '${g.port}'`, option);
  }
  const database = decode(g.db) || undefined;
  return Object.freeze({
    raw: url.trim(),
    masked,
    backend: info.backend,
    driver,
    username: decode(g.user) || undefined,
    password: decode(g.pass),
    host: decode(g.ipv6 ?? g.ipv4) || undefined,
    port,
    database,
    query,
  });
}

/** Splits a URL into the part before the database, the database, and the `?query` tail. */
function splitDatabase(url: string): { head: string; db: string; tail: string } {
  const q = url.indexOf('?');
  const body = q < 0 ? url : url.slice(0, q);
  const tail = q < 0 ? '' : url.slice(q);
  const afterScheme = body.indexOf('://') + 3;
  const slash = body.indexOf('/', afterScheme);
  if (slash < 0) return { head: `${body}/`, db: '', tail };
  return { head: body.slice(0, slash + 1), db: body.slice(slash + 1), tail };
}

function splitFile(path: string): { dir: string; stem: string; ext: string } {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const file = path.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  return dot > 0 ? { dir, stem: file.slice(0, dot), ext: file.slice(dot) } : { dir, stem: file, ext: '' };
}

/** The database's name: `nova` for mysql://…/nova and for sqlite:///data/nova.db; undefined for memory. */
export function databaseName(url: string): string | undefined {
  const u = parseDbUrl(url);
  if (u.database === undefined) return undefined;
  return u.backend === 'sqlite' ? splitFile(u.database).stem : u.database;
}

/**
 * The same URL naming another database on the same server: mysql/pg replace the database name,
 * sqlite keeps the directory and extension (`data/nova.db` → `data/nova_cell0.db`); memory stays
 * memory. `name` may be a function of the current name: `(n) => `${n}_cell0`` is nova-manage's cell0 rule.
 */
export function withDatabaseName(url: string, name: string | ((current: string) => string)): string {
  const u = parseDbUrl(url);
  if (u.backend === 'sqlite' && u.database === undefined) return url;
  const { head, db, tail } = splitDatabase(url.trim());
  if (u.backend !== 'sqlite') {
    const next = typeof name === 'function' ? name(u.database ?? '') : name;
    return `${head}${encodeURIComponent(next)}${tail}`;
  }
  const f = splitFile(db);
  const next = typeof name === 'function' ? name(decode(f.stem) ?? f.stem) : name;
  return `${head}${f.dir}${next}${f.ext}${tail}`;
}
