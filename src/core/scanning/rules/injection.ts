/** Injection rules: SQL (CWE-89), OS command (CWE-78), code evaluation (CWE-94/95). */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';
import { San, builderName, concatVal, dynamicFor, flowHit, isTrue, javaCollected, kw, lastName, looksLikeSql, optionIn, taintFor } from './helpers';

// ---------------------------------------------------------------- SQL

/**
 * A "barrier guard" on a name used in the expression: compared for equality with a literal, or
 * checked for membership in a literal list / allow-list, somewhere in the function.
 */
function allowListed(ctx: RuleContext, n: Node): boolean {
  const holes = (n.text.match(/#\{([^}]*)\}|\$\{([^}]*)\}|\{(\w+)\}/g) ?? []).join(' ');
  // (Comparing with the empty string is an emptiness check, not an allow-list.)
  const names = new Set((n.text.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '') + ' ' + holes).match(/[A-Za-z_]\w*/g) ?? []);
  const fn = ctx.functionText();
  // A variable chosen by a guarded expression (`col = ALLOWED.contains(sort) ? sort : "name"`): its last assignment's names count too.
  if (n.type === 'identifier' && /^[A-Za-z_]\w*$/.test(n.text)) {
    const defs = [...fn.matchAll(new RegExp(`\\b${n.text}\\s*=(?![=~>])\\s*([^;\\n]+)`, 'g'))];
    const rhs = defs.length ? defs[defs.length - 1][1].replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '') : '';
    for (const m of rhs.match(/[A-Za-z_]\w*/g) ?? []) names.add(m);
  }
  for (const name of names) {
    if (name.length < 2) continue;
    const esc = name.replace(/[$]/g, '\\$&');
    if (new RegExp(`\\b${esc}\\s*(?:==|===)\\s*(?:["'](?!["'])|:)|["'](?<!["']["'])\\s*(?:==|===)\\s*${esc}\\b|(?:include\\?|includes|contains|member\\?)\\s*\\(?\\s*${esc}\\b|\\b${esc}\\s+(?:not\\s+)?in\\s+(?:\\[|\\(|\\{|[A-Z_]{3,})`).test(fn)) return true;
  }
  return false;
}

/** Text of the right-hand side of the last `name = …` in the enclosing function ('' when none). */
function lastAssigned(ctx: RuleContext, name: string): string {
  if (!/^[A-Za-z_]\w*$/.test(name)) return '';
  const defs = [...ctx.functionText().matchAll(new RegExp(`\\b${name}\\s*=(?![=~>])\\s*([^\\n]+)`, 'g'))];
  return defs.length ? defs[defs.length - 1][1] : '';
}

/**
 * The request value itself was checked against an allow-list before it reached a variable
 * (`col = SORTABLE.include?(params[:sort]) ? params[:sort] : "name"`): `label` is the taint label,
 * whose text before " (" is the source expression.
 */
function sourceAllowListed(ctx: RuleContext, label: string): boolean {
  const src = label.replace(/ \([^()]*\)$/, '');
  if (src.length < 4 || src.endsWith('...') || src === label) return false;
  const esc = src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*');
  return new RegExp(`(?:include\\?|includes|contains|member\\?)\\s*\\(?\\s*${esc}(?![\\w.[(])`).test(ctx.functionText());
}

/** Callee names that only ever run SQL text. */
const RAW_SQL_SINK = /^(?:execute|executemany|executescript|exec_driver_sql|read_sql|read_sql_query|executeQuery|executeUpdate|executeLargeUpdate|createQuery|createNativeQuery|createSQLQuery|prepareStatement|queryForList|queryForObject|QueryRow|QueryContext|QueryRowContext|ExecContext|mysqli_query|pg_query|mysql_query|sqlite3_exec|PQexec|find_by_sql|exec_query|select_all|SqlCommand|ExecuteSqlRaw|FromSqlRaw|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|orderByRaw|havingRaw|selectRaw|groupByRaw)$/;

const VALUE_HOLE = /(?:=|<>|!=|<|>|\blike\b|\bin\s*\(|\bvalues\s*\(|\blimit\b|\boffset\b|,|\bthen\b|\band\b|\bor\b)\s*\(?\s*['"`]?%?\s*(?:\{[^}]*\}|%[-\w]*[sv]|\$\{|\$\w|#\{)|['"`]\s*(?:\{[^}]*\}|%[sv]|#\{|\$\{|\$\w)|(?:\{[^}]*\}|%[sv])\s*['"`]/i;

/** ActiveRecord methods whose argument is always SQL text (never a hash of bound values). */
const RUBY_RAW_FRAGMENT = /^(?:order|reorder|group|having|pluck|select|from|joins|lock|calculate|count|sum|average|minimum|maximum)$/;

function sqlArg(call: CallSite, ctx: RuleContext, idx = 0, conditionOk = false): Hit | undefined {
  const a = call.args[idx] ?? call.kwargs.get('sql') ?? call.kwargs.get('query');
  if (!a) return undefined;
  const v = ctx.val(a);
  if (!dynamicFor(v, San.Sql)) return undefined;
  // ORM fragment methods (where/order/select…): untrusted data in the fragment is enough.
  // Unambiguous raw-SQL APIs: an untrusted whole query (text-to-SQL from an LLM, a request
  // parameter) is enough too.
  const rawSql = RAW_SQL_SINK.test(call.name) && (!!taintFor(v, San.Sql));
  // ActiveRecord order/group/pluck/select…: the argument is SQL text whatever its type (a request
  // value passed whole is `ORDER BY <attacker SQL>`); where/find_by take hashes safely.
  const rawFragment = conditionOk && ctx.family === 'ruby' && RUBY_RAW_FRAGMENT.test(call.name) && !!taintFor(v, San.Sql) && !/^(?:hash|array|pair)$/.test(a.type);
  // Ruby: request data turned into SQL text inline (`params[:q].split.map { |t| "title LIKE '%#{t}%'" }.join(" OR ")`).
  const rubyInline = conditionOk && ctx.family === 'ruby' && !v.str && !!taintFor(v, San.Sql) && /"[^"\n]*(?:[=<>]|\blike\b|\bin\s*\()[^"\n]*#\{[^}]*\}[^"\n]*"|"[^"\n]*#\{[^}]*\}[^"\n]*(?:[=<>]|\blike\b)[^"\n]*"/i.test(a.type === 'identifier' ? lastAssigned(ctx, a.text) : a.text);
  const sqlish = rawSql || rawFragment || rubyInline || looksLikeSql(v.text) || (conditionOk && v.str && (/[=<>]|\blike\b|\bin\s*\(/i.test(v.text) || !!taintFor(v, San.Sql)));
  if (!sqlish) return undefined;
  const hit = flowHit(v, San.Sql, call.callee, a);
  if (hit.taint && (allowListed(ctx, a) || sourceAllowListed(ctx, hit.taint.label))) return undefined;
  // ActiveRecord `where("#{table}.title LIKE ?", q)`: values are bound; code-side names are interpolated.
  if (!hit.taint && conditionOk && ctx.family === 'ruby' && call.args.length > 1 && /\?|:\w/.test(v.text)) return undefined;
  // Data spliced where a value goes (after =, LIKE, IN (, VALUES (, or inside quotes) is the
  // classic injection; splicing only identifiers (table/column names from code) is weaker.
  if (!hit.taint && !VALUE_HOLE.test(v.text)) hit.severity = 'low';
  return hit;
}

/** Variables named for a SQL fragment (`@conditions`, `where_clause`, `order_sql`). */
const SQL_FRAGMENT_NAME = /^(?:\w+_)?(?:conditions?|where(?:_?clause)?|sql|clause|order_?by)$/i;

/**
 * A SQL condition fragment assembled from request data into a variable named for it
 * (`@conditions += " AND title LIKE '%#{params[:q]}%'"`): the query that joins it may be run in
 * another method, but the injection is written here. Skipped when the same function passes the
 * variable to a query call (that sink reports it).
 */
const sqlFragmentBinding: Matcher = {
  kind: 'binding',
  trigger: /(?:conditions?|where\w*|sql|clause|order_?by)\s*(?:\+|<<)?=[^=~]/i,
  check: (b, ctx) => {
    if (b.pair || b.loop || !b.value || !SQL_FRAGMENT_NAME.test(lastName(b.targetText))) return undefined;
    if (!ctx.mayTaint() || !ctx.mayTaintExpr(b.value)) return undefined;
    const v = ctx.val(b.value);
    const t = taintFor(v, San.Sql);
    if (!t || !v.str || !(VALUE_HOLE.test(v.text) || looksLikeSql(v.text)) || allowListed(ctx, b.value)) return undefined;
    const name = lastName(b.targetText).replace(/\$/g, '\\$');
    if (new RegExp(`\\b(?:query|execute|exec|where|find_by_sql|select_all|exec_query|all|raw|run|each|find|get|prepare)(?:\\s*\\(|\\s+)[^;\\n]*\\b${name}\\b`).test(ctx.functionText())) return undefined;
    return { taint: t, sink: 'SQL fragment', node: b.value, severity: 'high', message: 'A SQL condition is built from request data by string interpolation; bind the value as a query parameter instead' };
  },
};

const sqlCall = (names: string[], idx = 0, conditionNames: string[] = []): Matcher => ({
  kind: 'call',
  names: [...names, ...conditionNames],
  check: (c, ctx) => sqlArg(c, ctx, idx, conditionNames.includes(c.name)),
});

/**
 * Go database/sql, sqlx and GORM. Placeholders with bound arguments (`Where(fmt.Sprintf("%v IN (?)",
 * col), ids)`) keep values out of the SQL text: code-side names spliced around them are not
 * reported unless request data reaches the text. GORM's Where/Order/Having treat a whole string
 * argument as SQL, so request data passed whole is injection too. sqlx Get/Select take the query
 * after the destination (`db.Get(&u, query, id)`).
 */
const GO_CONDITION = new Set(['Where', 'Order', 'Having', 'Not', 'Or', 'Group', 'Joins']);
const goSqlCall = (names: string[]): Matcher => ({
  kind: 'call',
  names: [...names, ...GO_CONDITION],
  check: (c, ctx) => {
    const idx = (c.name === 'Get' || c.name === 'Select') && c.args[0]?.type === 'unary_expression' && c.args[0].text.startsWith('&') ? 1 : 0;
    const cond = GO_CONDITION.has(c.name);
    const a = c.args[idx];
    if (!a) return undefined;
    // `stmt.QueryRow(x)` on a statement from Prepare: the arguments are bound parameters, not SQL.
    const recv = c.receiver?.text ?? '';
    if (/^\w+$/.test(recv) && new RegExp(`\\b${recv}\\s*(?:,\\s*\\w+\\s*)?:?=\\s*[\\w.()]*\\.(?:Prepare|PrepareContext|Preparex|PrepareNamed|Stmt)\\s*\\(`).test(ctx.functionText())) return undefined;
    const hit = sqlArg(c, ctx, idx, cond);
    if (hit) {
      const v = ctx.val(a);
      // (`$1` is a bind placeholder here, not an interpolated variable.)
      return !hit.taint && c.args.length > idx + 1 && /\?|\$\d/.test(v.text) && !VALUE_HOLE.test(v.text.replace(/\$\d+/g, '?')) ? undefined : hit;
    }
    if (!cond || /^(?:composite_literal|unary_expression|interpreted_string_literal|raw_string_literal)$/.test(a.type) || !ctx.mayTaint() || !ctx.mayTaintExpr(a)) return undefined;
    const t = taintFor(ctx.val(a), San.Sql);
    return t && !allowListed(ctx, a) ? { taint: t, sink: c.callee, node: a, severity: 'high', message: `Request data is passed whole to ${c.name}(): GORM runs a string argument as SQL; bind values with placeholders (\`Where("id IN ?", ids)\`) and allow-list column names` } : undefined;
  },
});

// `db.exec(conn, sql)`-style C APIs take the SQL as the second argument.
const sqlCallAt = (names: string[], idx: number): Matcher => ({ kind: 'call', names, check: (c, ctx) => sqlArg(c, ctx, idx) });

export const sqlInjection = defineRule({
  id: 'sql-injection',
  name: 'SQL built from non-constant data',
  cwe: 'CWE-89',
  severity: 'medium',
  pattern: 1,
  message: 'SQL query built by string formatting/concatenation is passed to the database; use a parameterized query',
  why: 'OpenSSF AI code assistant guide: "use parameterized queries for database access". Data spliced into SQL text can change the query (SQL injection).',
  description: 'A string that looks like SQL is built from non-constant data (concatenation, interpolation, format) and reaches an execute-like API. Bind values as query parameters instead.',
  matchers: {
    python: [sqlCall(['execute', 'executemany', 'executescript', 'raw', 'read_sql', 'read_sql_query', 'text', 'mogrify', 'exec_driver_sql'])],
    javascript: [sqlCall(['query', 'execute', 'raw', 'run', 'all', 'get', 'each', 'exec', 'prepare', '$queryRawUnsafe', '$executeRawUnsafe', 'unsafe', 'whereRaw', 'orderByRaw']), sqlFragmentBinding],
    java: [
      sqlCall(['executeQuery', 'executeUpdate', 'execute', 'executeLargeUpdate', 'addBatch', 'prepareStatement', 'prepareCall', 'createQuery', 'createNativeQuery', 'createSQLQuery', 'query', 'queryForObject', 'queryForList', 'queryForMap', 'queryForRowSet', 'update', 'batchUpdate']),
      {
        // `StringBuilder sql = new StringBuilder("SELECT … WHERE name = '"); sql.append(name)…; st.executeQuery(sql.toString())`.
        kind: 'call',
        names: ['executeQuery', 'executeUpdate', 'execute', 'addBatch', 'prepareStatement', 'createQuery', 'createNativeQuery', 'query', 'queryForObject', 'queryForList', 'update'],
        check: (c, ctx) => {
          const a = c.args[0];
          const name = builderName(a);
          if (!a || !name || sqlArg(c, ctx)) return undefined;
          const parts = javaCollected(name, c.node.startIndex, ctx, /^(?:append|insert)$/);
          const v = concatVal(parts, ctx);
          if (!dynamicFor(v, San.Sql) || !looksLikeSql(v.text)) return undefined;
          // Every non-constant piece checked against an allow-list (ORDER BY column choices).
          const dynamic = parts.filter((p) => !ctx.val(p).c);
          return dynamic.length && dynamic.every((p) => allowListed(ctx, p)) ? undefined : flowHit(v, San.Sql, c.callee, a);
        },
      },
    ],
    go: [goSqlCall(['Query', 'QueryRow', 'Exec', 'Prepare', 'Raw', 'Select', 'Get', 'MustExec', 'Queryx', 'QueryRowx']), sqlCallAt(['QueryContext', 'QueryRowContext', 'ExecContext', 'PrepareContext', 'SelectContext', 'GetContext'], 1)],
    php: [sqlCall(['query', 'exec', 'prepare', 'mysql_query', 'sqlite_query', 'select', 'statement', 'unprepared', 'raw', 'whereRaw', 'selectRaw', 'orderByRaw', 'havingRaw']), sqlCallAt(['mysqli_query', 'pg_query', 'mysqli_prepare', 'pg_prepare', 'mysqli_real_query', 'odbc_exec', 'sqlsrv_query'], 1)],
    ruby: [
      sqlFragmentBinding,
      sqlCall(['execute', 'exec_query', 'find_by_sql', 'select_all', 'select_one', 'select_value', 'select_values', 'select_rows', 'count_by_sql', 'query', 'exec', 'prepare'], 0, ['where', 'order', 'group', 'having', 'joins', 'pluck', 'exists?', 'from', 'lock', 'reorder', 'not', 'find_by', 'select', 'calculate', 'count', 'sum', 'average', 'minimum', 'maximum', 'update_all', 'delete_all', 'destroy_all', 'rewhere']),
      // Sequel: `Sequel.lit("price > #{x}")` is raw SQL; `DB["SELECT … #{x}"]` is a dataset from SQL text.
      { kind: 'call', names: ['lit'], check: (c, ctx) => (/^(?:::)?Sequel$/.test(c.receiver?.text ?? '') ? sqlArg(c, ctx, 0, true) : undefined) },
      {
        kind: 'node', trigger: /\[\s*(?:"|<<[~-]?)/,
        types: ['element_reference'],
        check: (n, ctx) => {
          const obj = n.childForFieldName('object');
          const a = n.namedChildren[1];
          if (!obj || !a || !/^(?:DB|Db|db|\w*(?:_db|_DB|Database|database|connection|conn))$/.test(obj.text) || !/^(?:string|heredoc_beginning)$/.test(a.type)) return undefined;
          const v = ctx.val(a);
          return dynamicFor(v, San.Sql) && looksLikeSql(v.text) && !allowListed(ctx, a) ? flowHit(v, San.Sql, `${obj.text}[] (Sequel SQL dataset)`, a) : undefined;
        },
      },
      {
        // Array conditions `where(["name = '#{x}'", …])`: only the first element is SQL, and data was spliced into it.
        kind: 'call',
        names: ['where', 'exists?', 'find_by', 'not', 'having', 'rewhere', 'find_by_sql', 'sanitize_sql_array'],
        check: (c, ctx) => {
          const a = c.args[0];
          const first = a?.type === 'array' ? a.namedChildren[0] : undefined;
          if (!first || c.name === 'sanitize_sql_array') return undefined;
          const v = ctx.val(first);
          return dynamicFor(v, San.Sql) && v.str && VALUE_HOLE.test(v.text) && !allowListed(ctx, first) ? flowHit(v, San.Sql, `${c.callee} array condition`, first) : undefined;
        },
      },
      {
        // Rails 2 style `find(:all, :conditions => "...#{x}...")`.
        kind: 'binding',
        trigger: /conditions/,
        check: (b, ctx) => {
          if (!b.pair || !/^:?conditions:?$/.test(b.targetText) || !b.value) return undefined;
          if (b.value.type === 'array') {
            const first = b.value.namedChildren[0];
            const fv = ctx.val(first);
            return first && dynamicFor(fv, San.Sql) && fv.str && VALUE_HOLE.test(fv.text) ? flowHit(fv, San.Sql, ':conditions', first) : undefined;
          }
          const v = ctx.val(b.value);
          if (!dynamicFor(v, San.Sql) || !v.str) return undefined;
          // A comparison, or data spliced inside a quoted SQL literal (`'POINT(#{lng} #{lat})'`).
          return /[=<>]|\blike\b|\bin\s*\(|'[^']*\{\}[^']*'/i.test(v.text) || taintFor(v, San.Sql) ? flowHit(v, San.Sql, ':conditions', b.value) : undefined;
        },
      },
    ],
    csharp: [
      sqlCall(['SqlCommand', 'OleDbCommand', 'OdbcCommand', 'NpgsqlCommand', 'MySqlCommand', 'SQLiteCommand', 'SqliteCommand', 'ExecuteSqlRaw', 'ExecuteSqlRawAsync', 'ExecuteSqlCommand', 'FromSqlRaw', 'SqlQuery', 'Query', 'QueryAsync', 'Execute', 'ExecuteAsync', 'QueryFirst', 'QuerySingle', 'ExecuteScalar']),
      {
        kind: 'binding', trigger: /CommandText/,
        check: (b, ctx) => {
          if (!/(?:^|\.)CommandText$/.test(b.targetText) || !b.value) return undefined;
          const v = ctx.val(b.value);
          return dynamicFor(v, San.Sql) && looksLikeSql(v.text) ? flowHit(v, San.Sql, 'CommandText', b.value) : undefined;
        },
      },
    ],
    rust: [sqlCall(['query', 'query_as', 'query_scalar', 'execute', 'prepare', 'query_row', 'query_map', 'batch_execute', 'sql_query'])],
    c: [
      sqlCallAt(['sqlite3_exec', 'sqlite3_prepare', 'sqlite3_prepare_v2', 'sqlite3_prepare_v3', 'mysql_query', 'mysql_real_query', 'PQexec', 'PQsendQuery'], 1),
      // C++ clients: libpqxx `txn.exec(sql)`, SQLiteCpp `db.exec(sql)`, MySQL Connector/C++ `stmt->executeQuery(sql)`, Qt `QSqlQuery::exec(sql)`.
      sqlCall(['exec', 'exec0', 'exec1', 'exec_n', 'query', 'query_value', 'execute', 'executeQuery', 'executeUpdate', 'prepareStatement']),
    ],
  },
});

// ---------------------------------------------------------------- OS command

const SHELL_PROG = /^["']?(?:\/(?:usr\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)["']?$/i;
const SHELL_FLAG = /^["'](?:-c|\/c|\/C|-Command|-lc|-ic)["']$/;

function commandHit(v: ReturnType<RuleContext['val']>, sink: string, node: Node): Hit | undefined {
  if (!dynamicFor(v, San.Shell)) return undefined;
  return flowHit(v, San.Shell, sink, node);
}

/**
 * C/C++: the command is the enclosing function's own parameter, passed straight through
 * (`char *run(const char *command) { popen(command, "r"); }`), and the function is called in this
 * file: a run-this-command helper. Its callers' arguments were already followed (none carried
 * untrusted data, or the flow would be tainted); what they pass is judged at the call sites.
 */
function cPassThroughParam(a: Node, ctx: RuleContext): boolean {
  const name = /^([A-Za-z_]\w*)(?:\s*\.\s*c_str\s*\(\s*\))?$/.exec(a.text.trim())?.[1];
  const fn = ctx.functionNode();
  const fname = ctx.functionName();
  if (!name || !fn || !fname || !/^[A-Za-z_]\w*$/.test(fname)) return false;
  // `char *run(...)`: the function declarator sits under pointer/reference declarators.
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator') ?? d.namedChildren.find((x) => /declarator$/.test(x.type)) ?? null;
  const params = d?.childForFieldName('parameters')?.text ?? '';
  if (!new RegExp(`\\b${name}\\s*[,)]`).test(params)) return false;
  // Reassigned in the body: no longer the caller's value.
  if (new RegExp(`\\b${name}\\s*(?:=[^=]|\\+=)`).test(fn.childForFieldName('body')?.text ?? '')) return false;
  // A call (not the definition or a prototype): `= f(`, `(f(`, `, f(`, `return f(`, statement start.
  const rest = ctx.text.slice(0, fn.startIndex) + ctx.text.slice(fn.endIndex);
  const calls = [...rest.matchAll(new RegExp(`(?:[=(,!]|\\breturn\\b|[;{}]\\s*)\\s*${fname}\\s*\\(([^;]*)`, 'g'))];
  // A caller handing it program input directly is the finding, not a pass-through.
  return calls.length > 0 && !calls.some((m) => /\bargv\b|\bgetenv\b|\boptarg\b|QUERY_STRING/.test(m[1]));
}

/** argv-style APIs: dangerous when a shell is run with `-c <dynamic>`, or the program itself is untrusted. */
function argvHit(args: Node[], ctx: RuleContext, sink: string): Hit | undefined {
  if (!args.length) return undefined;
  const prog = args[0];
  if (SHELL_PROG.test(prog.text)) {
    const flagIdx = args.findIndex((a) => SHELL_FLAG.test(a.text));
    if (flagIdx > 0) for (const a of args.slice(flagIdx + 1)) {
      const h = commandHit(ctx.val(a), sink, a);
      if (h) return h;
    }
    return undefined;
  }
  const t = taintFor(ctx.val(prog), San.Shell);
  return t ? { taint: t, sink, node: prog, severity: 'high' } : undefined;
}

function listItems(n: Node | undefined): Node[] | undefined {
  if (!n) return undefined;
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'array' || n.type === 'array_creation_expression' || n.type === 'array_initializer') {
    const init = n.type === 'array_creation_expression' ? (n.childForFieldName('value') ?? n.namedChildren.find((c) => c.type === 'array_initializer')) : n;
    return init ? init.namedChildren.filter((c) => c.type !== 'comment') : undefined;
  }
  return undefined;
}

/**
 * Ruby `system(cmd.join(' '))`: an argv-looking array joined back into one shell string. The
 * parts pushed onto it in this function (`cmd << "-in #{path}"`, `cmd.push(x)`) are checked.
 */
function rubyJoinedParts(n: Node, ctx: RuleContext, sink: string): Hit | undefined {
  if (n.type !== 'call' || n.childForFieldName('method')?.text !== 'join') return undefined;
  const arr = n.childForFieldName('receiver');
  const fn = ctx.functionNode();
  if (!fn || arr?.type !== 'identifier') return undefined;
  for (const b of fn.descendantsOfType(['binary', 'call'])) {
    if (!b || b.startIndex > n.startIndex) continue;
    let parts: Node[] = [];
    if (b.type === 'binary') {
      if (b.childForFieldName('left')?.text !== arr.text || b.childForFieldName('operator')?.text !== '<<') continue;
      const r = b.childForFieldName('right');
      if (r) parts = [r];
    } else {
      if (b.childForFieldName('receiver')?.text !== arr.text || !/^(?:push|append|unshift|concat|insert)$/.test(b.childForFieldName('method')?.text ?? '')) continue;
      parts = b.childForFieldName('arguments')?.namedChildren ?? [];
    }
    for (const p of parts) {
      const h = commandHit(ctx.val(p), sink, p);
      if (h) return { ...h, node: n, message: `Parts appended to \`${arr.text}\` carry non-constant data, and ${sink} runs the joined string through a shell; pass the array itself (${sink}(*${arr.text})) or escape each part with Shellwords.escape` };
    }
  }
  return undefined;
}

export const commandInjection = defineRule({
  id: 'command-injection',
  name: 'OS command built from non-constant data',
  cwe: 'CWE-78',
  severity: 'medium',
  pattern: 2,
  message: 'A shell command is built from non-constant data; run the program with an argument list and no shell',
  why: 'OpenSSF AI code assistant guide: "use the subprocess module with shell=False"; data spliced into a shell command line can run other commands.',
  description: 'A command string passed to a shell (os.system, shell=True, child_process.exec, Runtime.exec(String), system(), backticks, Open3…) contains non-constant data. Pass an argv list to an API that does not start a shell.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['system', 'popen', 'popen2', 'popen3', 'popen4', 'getoutput', 'getstatusoutput', 'create_subprocess_shell', 'spawn'],
        check: (c, ctx) => {
          if (!/^(?:os|commands|subprocess|asyncio|pty|platform)\.|^(?:system|popen|getoutput|getstatusoutput)$/.test(c.callee)) return undefined;
          if (c.callee === 'pty.spawn' || c.name === 'spawn') {
            const t = c.args[0] && taintFor(ctx.val(c.args[0]), San.Shell);
            return t ? { taint: t, sink: c.callee, severity: 'high' } : undefined;
          }
          const a = c.args[0] ?? kw(c, 'cmd') ?? kw(c, 'command');
          return a ? commandHit(ctx.val(a), c.callee, a) : undefined;
        },
      },
      {
        kind: 'call',
        names: ['run', 'call', 'Popen', 'check_output', 'check_call', 'getoutput'],
        check: (c, ctx) => {
          if (!/^(?:subprocess\.)?(?:run|call|Popen|check_output|check_call)$/.test(c.callee) && !/^subprocess\./.test(c.callee)) return undefined;
          const a = c.args[0] ?? kw(c, 'args');
          if (!a) return undefined;
          if (isTrue(kw(c, 'shell'))) {
            const items = listItems(a);
            if (items) {
              for (const it of items) {
                const h = commandHit(ctx.val(it), c.callee, it);
                if (h) return h;
              }
              return undefined;
            }
            return commandHit(ctx.val(a), c.callee, a);
          }
          const items = listItems(a);
          return items ? argvHit(items, ctx, c.callee) : undefined;
        },
      },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'execa', 'execaSync', 'execaCommand', 'execaCommandSync', 'command', 'commandSync'],
        check: (c, ctx) => {
          // `re.exec(s)` is RegExp; require a child_process-like receiver, or a bare call
          // (`exec`/`execSync` imported from child_process; snippets often omit the require).
          if (c.receiver && !/^(?:child_process|childProcess|cp|proc|child|shell|shelljs|execa|\w*[Pp]rocess|require\(\s*["'](?:node:)?child_process["']\s*\))$/.test(c.receiver.text)) return undefined;
          if (!c.receiver && !/^(?:exec|execSync)$/.test(c.name) && !ctx.fileHas(/child_process|\bexeca\b|shelljs/)) return undefined;
          const a = c.args[0];
          if (!a) return undefined;
          const shellOpt = optionIn(c, /^shell$/);
          if (c.name === 'exec' || c.name === 'execSync' || c.name === 'execaCommand' || c.name === 'execaCommandSync' || c.name === 'command' || c.name === 'commandSync' || (shellOpt && isTrue(shellOpt))) {
            const h = commandHit(ctx.val(a), c.callee, a);
            if (h) return h;
            if (shellOpt && isTrue(shellOpt) && c.args[1]) {
              const items = listItems(c.args[1]) ?? [];
              for (const it of items) {
                const h2 = commandHit(ctx.val(it), c.callee, it);
                if (h2) return h2;
              }
            }
            return undefined;
          }
          const items = [a, ...(listItems(c.args[1]) ?? [])];
          return argvHit(items, ctx, c.callee);
        },
      },
      {
        // `const execAsync = util.promisify(exec)`: the promisified exec still runs a shell.
        kind: 'call',
        trigger: /promisify\s*\(\s*(?:\w+\.)?exec\s*\)/,
        anchor: /\b\w+\s*\(/,
        check: (c, ctx) => {
          if (c.receiver || !c.args[0] || !/^[A-Za-z_$][\w$]*$/.test(c.name)) return undefined;
          const esc = c.name.replace(/\$/g, '\\$');
          if (!ctx.fileHas(new RegExp(`\\b${esc}\\s*=\\s*(?:util\\.)?promisify\\s*\\(\\s*(?:\\w+\\.)?exec\\s*\\)`))) return undefined;
          return commandHit(ctx.val(c.args[0]), `${c.name} (promisified exec)`, c.args[0]);
        },
      },
    ],
    java: [
      {
        kind: 'call',
        names: ['exec'],
        check: (c, ctx) => {
          if (!c.receiver || !/Runtime|runtime|\brt\b|^r$/.test(c.receiver.text)) return undefined;
          const a = c.args[0];
          if (!a) return undefined;
          const items = listItems(a);
          if (items) return argvHit(items, ctx, 'Runtime.exec');
          const built = builderName(a);
          return commandHit(ctx.val(a), 'Runtime.exec(String)', a) ?? (built ? commandHit(concatVal(javaCollected(built, c.node.startIndex, ctx, /^(?:append|insert)$/), ctx), 'Runtime.exec(String)', a) : undefined);
        },
      },
      {
        kind: 'call',
        names: ['ProcessBuilder', 'command'],
        check: (c, ctx) => {
          if (c.name === 'command' && !/ProcessBuilder|pb|builder|processBuilder/.test(c.receiver?.text ?? '')) return undefined;
          let args = c.args;
          if (args.length === 1) {
            const items = listItems(args[0]);
            if (items) args = items;
            else if (/^(?:Arrays\.asList|List\.of)\(/.test(args[0].text)) args = args[0].childForFieldName('arguments')?.namedChildren ?? args;
            // `List<String> cmd = new ArrayList<>(); cmd.add("bash"); cmd.add("-c"); cmd.add(script); new ProcessBuilder(cmd)`.
            else if (args[0].type === 'identifier') {
              const added = javaCollected(args[0].text, c.node.startIndex, ctx, /^add$/).filter((x) => x.type !== 'decimal_integer_literal');
              if (added.length) args = added;
            }
          }
          return argvHit(args, ctx, 'ProcessBuilder');
        },
      },
    ],
    go: [
      {
        kind: 'call',
        names: ['Command', 'CommandContext'],
        check: (c, ctx) => {
          if (!/^exec\./.test(c.callee)) return undefined;
          return argvHit(c.name === 'CommandContext' ? c.args.slice(1) : c.args, ctx, c.callee);
        },
      },
    ],
    c: [
      {
        kind: 'call',
        names: ['system', 'popen', '_popen', '_wsystem', 'wsystem', '_wpopen'],
        check: (c, ctx) => {
          const a = c.args[0];
          if (!a) return undefined;
          const v = ctx.val(a);
          if (!v.taint && cPassThroughParam(a, ctx)) return undefined;
          return commandHit(v, c.name, a);
        },
      },
      { kind: 'call', names: ['execl', 'execlp', 'execle', 'execv', 'execvp'], check: (c, ctx) => argvHit(c.args.slice(1), ctx, c.name) },
    ],
    ruby: [
      {
        kind: 'call',
        names: ['system', 'exec', 'spawn', 'popen', 'popen2', 'popen2e', 'popen3', 'capture2', 'capture2e', 'capture3', 'pipeline_r', 'pipeline_w', 'pipeline_rw', 'pipeline', 'open', 'syscall', 'read', 'readlines', 'foreach', 'write', 'binread', 'binwrite'],
        check: (c, ctx) => {
          if (c.receiver && !/^(?:Kernel|Open3|IO|Process|PTY)$/.test(c.receiver.text)) return undefined;
          if (/^(?:read|readlines|foreach|write|binread|binwrite)$/.test(c.name) && c.receiver?.text !== 'IO') return undefined;
          const pos = c.args.filter((a) => a.type !== 'pair' && a.type !== 'hash');
          if (!pos.length) return undefined;
          if ((c.name === 'open' && (!c.receiver || c.receiver.text === 'Kernel')) || (c.receiver?.text === 'IO' && /^(?:read|readlines|foreach|write|binread|binwrite)$/.test(c.name))) {
            // Kernel#open / IO.read & co. run a command when the path starts with "|"
            // (RuboCop Security/Open, Security/IoMethods): any non-literal path is a risk.
            const v = ctx.val(pos[0]);
            if (!dynamicFor(v, San.Shell | San.Path)) return undefined;
            const api = c.receiver?.text === 'IO' ? `IO.${c.name}` : 'Kernel#open';
            return { ...flowHit(v, San.Shell | San.Path, api, pos[0]), message: `${api} with a non-literal path runs a command when it starts with "|"; use File.${c.name === 'open' ? 'open' : c.name}` };
          }
          if (c.name === 'open' && c.receiver?.text !== 'IO') return undefined;
          // `IO.popen(['git', '-C', dir])`, `system(['ls', 'ls'])`: an array is an argv, no shell.
          const argv = listItems(pos[0]);
          if (argv) return argvHit(argv, ctx, c.callee);
          // Several arguments = argv form (no shell), unless a shell -c is spelled out.
          if (pos.length > 1) return argvHit(pos, ctx, c.callee);
          return commandHit(ctx.val(pos[0]), c.callee, pos[0]) ?? rubyJoinedParts(pos[0], ctx, c.callee);
        },
      },
      {
        kind: 'node', trigger: /`|%x/,
        types: ['subshell'],
        check: (n, ctx) => {
          const v = ctx.val(n);
          return dynamicFor(v, San.Shell) ? flowHit(v, San.Shell, 'backticks', n) : undefined;
        },
      },
    ],
    php: [
      {
        kind: 'call',
        names: ['system', 'exec', 'shell_exec', 'passthru', 'popen', 'proc_open', 'pcntl_exec'],
        check: (c, ctx) => (c.receiver || !c.args[0] ? undefined : commandHit(ctx.val(c.args[0]), c.name, c.args[0])),
      },
      {
        kind: 'node', trigger: /`/,
        types: ['shell_command_expression'],
        check: (n, ctx) => {
          const v = ctx.val(n);
          return dynamicFor(v, San.Shell) ? flowHit(v, San.Shell, 'backticks', n) : undefined;
        },
      },
    ],
    rust: [
      {
        kind: 'call',
        names: ['arg', 'args'],
        check: (c, ctx) => {
          const chain = c.receiver ? c.receiver.text.replace(/\s+/g, '') : '';
          if (!/Command::new\("(?:sh|bash|\/bin\/sh|\/bin\/bash|cmd|cmd\.exe|powershell)"\)/.test(chain) || !/\.args?\(\[?"(?:-c|\/C|\/c)"/.test(chain)) return undefined;
          const a = c.args[0];
          return a ? commandHit(ctx.val(a), 'Command::arg', a) : undefined;
        },
      },
      {
        kind: 'call',
        names: ['new'],
        check: (c, ctx) => {
          if (!/(?:^|\.)Command\.new$/.test(c.callee) || !c.args[0]) return undefined;
          const t = taintFor(ctx.val(c.args[0]), San.Shell);
          return t ? { taint: t, sink: 'Command::new', severity: 'high' } : undefined;
        },
      },
    ],
    csharp: [
      {
        kind: 'call',
        names: ['Start', 'ProcessStartInfo'],
        check: (c, ctx) => {
          if (c.name === 'Start' && !/^(?:System\.Diagnostics\.)?Process$/.test(c.receiver?.text ?? '')) return undefined;
          const args = c.args;
          if (args.length >= 2) {
            if (SHELL_PROG.test(args[0].text)) return commandHit(ctx.val(args[1]), c.callee, args[1]);
            const t = taintFor(ctx.val(args[0]), San.Shell);
            return t ? { taint: t, sink: c.callee, severity: 'high' } : undefined;
          }
          if (!args[0]) return undefined;
          const t = taintFor(ctx.val(args[0]), San.Shell);
          return t ? { taint: t, sink: c.callee, severity: 'high' } : undefined;
        },
      },
    ],
  },
});

// ---------------------------------------------------------------- code evaluation

/**
 * A character allow-list on a name used in the expression, somewhere in the function: every
 * character checked against a set (`for (const ch of expr) if (!ALLOWED.has(ch)) return`) or the
 * whole value matched by an anchored character class of digits and operators (`/^[0-9+ ]+$/`
 * `.test(expr)`, `re.fullmatch(r"[0-9+ ]+", expr)`). What remains cannot spell identifiers or calls.
 */
function charAllowListed(ctx: RuleContext, n: Node): boolean {
  const fn = ctx.functionText();
  const holes = (n.text.match(/#\{([^}]*)\}|\$\{([^}]*)\}/g) ?? []).join(' ');
  for (const name of new Set((n.text.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '') + ' ' + holes).match(/[A-Za-z_$][\w$]*/g) ?? [])) {
    if (name.length < 2) continue;
    const esc = name.replace(/\$/g, '\\$');
    const perChar = new RegExp(`for\\s*\\(?\\s*(?:const|let|var)?\\s*([\\w$]+)\\s+(?:of|in)\\s+${esc}\\b[\\s\\S]{0,200}?(?:\\.(?:has|includes|test)\\s*\\(\\s*\\1\\s*\\)|\\b\\1\\s+not\\s+in\\b)`);
    const anchored = new RegExp(`/\\^\\[[^\\]a-zA-Z]*\\][+*]\\$/[a-z]*\\.test\\(\\s*${esc}\\s*\\)|re\\.(?:fullmatch|match)\\(\\s*r?["']\\^?\\[[^\\]a-zA-Z]*\\][+*]\\$?["']\\s*,\\s*${esc}\\b`);
    if (perChar.test(fn) || anchored.test(fn)) return true;
  }
  return false;
}

function codeHit(c: CallSite, ctx: RuleContext, a: Node | undefined, requireString = false): Hit | undefined {
  if (!a) return undefined;
  const v = ctx.val(a);
  if (!dynamicFor(v, San.Code)) return undefined;
  if (requireString && !v.str && !v.taint) return undefined;
  if (charAllowListed(ctx, a)) return undefined;
  return flowHit(v, San.Code, c.callee, a);
}

export const codeInjection = defineRule({
  id: 'code-injection',
  name: 'Dynamic code evaluation of non-constant data',
  cwe: 'CWE-95',
  severity: 'medium',
  pattern: 3,
  message: 'Non-constant data is evaluated as code (eval/exec/new Function); parse the data instead',
  why: 'OpenSSF AI code assistant guide: "do not use exec/eval on user input"; OWASP LLM05: model output passed to eval runs whatever a prompt injection asks for.',
  description: 'eval/exec/compile, new Function, string timers, vm.run*, PHP eval/assert/create_function and Ruby eval/instance_eval receive a value that is not a literal.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['eval', 'exec', 'compile', 'execfile'],
        check: (c, ctx) => (/^(?:builtins\.|__builtins__\.)?(?:eval|exec|compile|execfile)$/.test(c.callee) ? codeHit(c, ctx, c.args[0] ?? kw(c, 'source')) : undefined),
      },
    ],
    javascript: [
      { kind: 'call', names: ['eval', 'execScript'], check: (c, ctx) => (/^(?:window\.|globalThis\.|global\.)?(?:eval|execScript)$/.test(c.callee) ? codeHit(c, ctx, c.args[0]) : undefined) },
      {
        kind: 'call',
        names: ['Function'],
        check: (c, ctx) => {
          if (!/^(?:window\.|globalThis\.)?Function$/.test(c.callee)) return undefined;
          for (const a of c.args) {
            const h = codeHit(c, ctx, a);
            if (h) return { ...h, sink: 'new Function' };
          }
          return undefined;
        },
      },
      { kind: 'call', names: ['setTimeout', 'setInterval', 'setImmediate'], check: (c, ctx) => codeHit(c, ctx, c.args[0], true) },
      {
        // Template engines compile the template text to JavaScript: a template from the request is
        // server-side template injection (`_.template(req.query.t)`, `ejs.render(req.body.tpl)`).
        kind: 'call',
        names: ['template', 'compile', 'render', 'renderString', 'precompile'],
        check: (c, ctx) => {
          if (!/^(?:_|lodash|ejs|pug|jade|Handlebars|handlebars|nunjucks|doT|dot|Mustache|mustache|hbs|swig|eta|Eta)\.(?:template|compile|render|renderString|precompile)$/.test(c.callee) || !c.args[0] || !ctx.mayTaint() || !ctx.mayTaintExpr(c.args[0])) return undefined;
          const t = taintFor(ctx.val(c.args[0]), San.Code);
          return t ? { taint: t, sink: c.callee, node: c.args[0], severity: 'high', cwe: 'CWE-1336', message: `${c.callee} compiles a template taken from the request: template syntax runs code on the server (SSTI); pass user data as template variables, never as the template` } : undefined;
        },
      },
      {
        // eslint-plugin-security detect-non-literal-require: code chosen at run time.
        kind: 'call',
        names: ['require'],
        check: (c, ctx) => {
          if (c.receiver || !c.args[0]) return undefined;
          const h = codeHit(c, ctx, c.args[0]);
          return h ? { ...h, severity: h.taint ? 'high' : 'low', message: 'require() of a non-literal module path loads code chosen at run time' } : undefined;
        },
      },
      { kind: 'call', names: ['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction', 'Script', 'SourceTextModule'], check: (c, ctx) => (/^(?:vm\.)?(?:runIn\w+|compileFunction|Script|SourceTextModule)$/.test(c.callee) && ctx.fileHas(/\bvm\b/) ? codeHit(c, ctx, c.args[0]) : undefined) },
    ],
    php: [
      { kind: 'call', names: ['eval', 'assert', 'create_function'], check: (c, ctx) => (c.receiver ? undefined : codeHit(c, ctx, c.name === 'create_function' ? c.args[1] : c.args[0], c.name === 'assert')) },
      {
        kind: 'node', trigger: /eval/,
        types: ['eval_expression'],
        check: (n, ctx) => {
          const a = n.namedChildren[0];
          const v = ctx.val(a);
          return dynamicFor(v, San.Code) ? flowHit(v, San.Code, 'eval', a) : undefined;
        },
      },
      {
        kind: 'call',
        names: ['preg_replace'],
        check: (c) => (c.args[0] && /^["'](.).*\1[a-zA-Z]*e[a-zA-Z]*["']$/s.test(c.args[0].text) ? { message: 'preg_replace with the /e modifier evaluates the replacement as PHP code' } : undefined),
      },
    ],
    ruby: [
      {
        kind: 'call',
        names: ['eval', 'instance_eval', 'class_eval', 'module_eval', 'instance_exec'],
        check: (c, ctx) => {
          const a = c.args[0];
          if (!a || c.node.namedChildren.some((x) => x.type === 'block' || x.type === 'do_block')) return undefined;
          if (a.type === 'heredoc_beginning') {
            // `eval <<-RUBY ... RUBY`: code written inline; dynamic only when the body interpolates.
            const tag = /^<<[-~]?(["'`]?)(\w+)\1$/.exec(a.text);
            if (!tag) return codeHit(c, ctx, a);
            const rest = ctx.text.slice(a.endIndex);
            const end = new RegExp(`^\\s*${tag[2]}\\s*$`, 'm').exec(rest);
            const body = end ? rest.slice(0, end.index) : rest;
            return tag[1] !== "'" && /#\{/.test(body) ? { sink: c.callee, node: a, message: 'eval of a heredoc that interpolates data: the data becomes code' } : undefined;
          }
          return codeHit(c, ctx, a);
        },
      },
      {
        // ERB/Haml templates run Ruby: a template built from request data is code injection (SSTI).
        kind: 'call',
        names: ['new'],
        check: (c, ctx) => {
          if (!/^(?:ERB|Erubi::Engine|Erubis::Eruby|Haml::Engine|Haml::Template|Slim::Template|Tilt::ERBTemplate)$/.test(c.receiver?.text ?? '') || !c.args[0]) return undefined;
          const t = taintFor(ctx.val(c.args[0]), San.Code);
          return t ? { taint: t, sink: `${c.receiver!.text}.new`, node: c.args[0], severity: 'high', cwe: 'CWE-1336', message: 'A template is built from request data: ERB/Haml templates run Ruby code, so this is server-side template injection; pass the data as locals instead' } : undefined;
        },
      },
      {
        kind: 'call',
        names: ['send', 'public_send', 'constantize', 'safe_constantize', 'const_get'],
        check: (c, ctx) => {
          const target = c.name === 'constantize' || c.name === 'safe_constantize' ? c.receiver : c.args[0];
          if (!target) return undefined;
          const t = taintFor(ctx.val(target), San.Code);
          return t ? { taint: t, sink: c.callee, severity: 'high', message: 'Untrusted input chooses the method or class to call (unsafe reflection)', cwe: 'CWE-470' } : undefined;
        },
      },
    ],
    java: [
      {
        // JSR-223 script engines, Groovy, MVEL/OGNL: a script built from data, or request data run as a script.
        kind: 'call',
        names: ['eval', 'evaluate', 'parse', 'executeExpression', 'getValue'],
        check: (c, ctx) => {
          const r = c.receiver?.text ?? '';
          const engine = (c.name === 'eval' && (/[eE]ngine|^js$|^nashorn$/.test(r) || /getEngineBy\w+\(/.test(r))) || (/^(?:evaluate|parse)$/.test(c.name) && /GroovyShell|[sS]hell$/.test(r)) || (c.name === 'eval' && r === 'MVEL') || (c.name === 'executeExpression' && r === 'MVEL') || (c.name === 'getValue' && r === 'Ognl');
          return engine ? codeHit(c, ctx, c.args[0], true) : undefined;
        },
      },
      {
        // Spring SpEL / JEXL / EL: expression language evaluated from request data (CWE-917).
        kind: 'call',
        names: ['parseExpression', 'createExpression', 'createValueExpression'],
        check: (c, ctx) => {
          const a = c.name === 'createValueExpression' ? c.args[1] : c.args[0];
          const t = a ? taintFor(ctx.val(a), San.Code) : undefined;
          return t ? { taint: t, sink: c.callee, node: a, severity: 'high', cwe: 'CWE-917', message: 'An expression-language string (SpEL/EL/JEXL) comes from the request: it can call arbitrary methods (expression injection)' } : undefined;
        },
      },
      {
        // Class.forName(request value) / loadClass: the request picks the class to load and instantiate.
        kind: 'call',
        names: ['forName', 'loadClass'],
        check: (c, ctx) => {
          if (c.name === 'forName' && !/^(?:java\.lang\.)?Class$/.test(c.receiver?.text ?? '')) return undefined;
          const t = c.args[0] ? taintFor(ctx.val(c.args[0]), San.Code) : undefined;
          return t ? { taint: t, sink: c.callee, node: c.args[0], severity: 'high', cwe: 'CWE-470', message: 'Untrusted input chooses the class to load (unsafe reflection)' } : undefined;
        },
      },
    ],
  },
});

// ---------------------------------------------------------------- NoSQL (MongoDB) query injection

const MONGO_QUERY_METHODS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'countDocuments', 'count', 'exists', 'distinct'];

/** Type checks or sanitizers that stop `{ $ne: null }` objects from reaching a query. */
const NOSQL_GUARD = /mongo-?[sS]anitize|sanitizeFilter|sanitize\s*\(|typeof\s+[\w$.[\]'"]+\s*[!=]==?\s*['"]string['"]|\$eq\b|Joi\.|z\.string\(|\.isString\(|express-validator|checkSchema|\bbody\s*\(\s*['"]\w+['"]\s*\)\s*\.\s*(?:isString|isEmail|isAlphanumeric|escape|trim)/;

/** A filter-object member whose value is request data as parsed (maybe an object), or a `$where` script. */
function nosqlMember(p: Node, ctx: RuleContext, sink: string): Hit | undefined {
  if (p.type === 'pair') {
    const key = p.childForFieldName('key')?.text.replace(/^["'`]|["'`]$/g, '') ?? '';
    const value = p.childForFieldName('value');
    if (!value) return undefined;
    if (key === '$where') {
      const v = ctx.val(value);
      if (v.c || value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function') return undefined;
      return { ...flowHit(v, San.Code, `${sink} $where`, value), message: '$where runs a JavaScript expression built from data inside the database; use query operators instead' };
    }
    if (key.startsWith('$') || !/^(?:member_expression|subscript_expression|identifier)$/.test(value.type)) return undefined;
    const v = ctx.val(value);
    const t = v.str ? undefined : taintFor(v, San.Sql);
    return t ? { taint: t, sink, node: value, severity: 'high' } : undefined;
  }
  if (p.type === 'shorthand_property_identifier') {
    const v = ctx.val(p);
    const t = v.str ? undefined : taintFor(v, San.Sql);
    return t ? { taint: t, sink, node: p, severity: 'high' } : undefined;
  }
  return undefined;
}

export const nosqlInjection = defineRule({
  id: 'nosql-injection',
  name: 'Request data used as a MongoDB query value',
  cwe: 'CWE-943',
  severity: 'high',
  pattern: 1,
  message: 'Request data goes into a MongoDB filter as parsed: an object such as {"$ne": null} turns an equality check into an operator (NoSQL injection); cast it to a string or sanitize the filter',
  why: 'OpenSSF AI code assistant guide: validate input and use the database API safely. JSON bodies and qs-parsed query strings can carry objects, so `{ password: req.body.password }` matches any password when the body sends {"$ne": null}.',
  description: 'A MongoDB/Mongoose query method (find, findOne, updateOne, deleteMany…) receives a filter object with a value taken straight from the request (req.body/req.query/req.params, not converted to a string or type-checked), or a $where clause built from data.',
  matchers: {
    javascript: [
      {
        kind: 'call',
        names: MONGO_QUERY_METHODS,
        check: (c, ctx) => {
          const filter = c.args[0];
          // `User.find(req.query)`: the whole parsed query/body is the filter (`?password[$ne]=x`).
          if (c.receiver && filter && /^(?:req|request|ctx\.request)\.(?:query|body|params)$/.test(filter.text) && !NOSQL_GUARD.test(ctx.functionText())) return { node: filter, sink: c.callee, severity: 'high', message: `The whole request ${filter.text.replace(/^.*\./, '')} object is the MongoDB filter: a client sends operators ({"$ne": null}, {"$regex": ".*"}) instead of values; pick and cast the fields you query by` };
          if (!c.receiver || filter?.type !== 'object') return undefined;
          const guarded = NOSQL_GUARD.test(ctx.functionText());
          for (const p of filter.namedChildren) {
            const h = nosqlMember(p, ctx, c.callee);
            if (h && (!h.taint || !guarded)) return h;
          }
          return undefined;
        },
      },
    ],
  },
});
