/**
 * Rule fixtures: for every rule and every language it claims, at least one snippet that must
 * raise it (pos) and one that must not (neg). Snippets are small, and several are deliberately
 * incomplete (no imports, no enclosing class) because assistant output often is.
 */
import type { RuleLanguage } from '../../../../src/core/scanning/languages';

export interface RuleFixtures {
  pos: string[];
  neg: string[];
}

export const FIXTURES: Record<string, Partial<Record<RuleLanguage, RuleFixtures>>> = {
  'sql-injection': {
    python: {
      pos: [
        `from flask import request\ndef q():\n    name = request.args.get("name")\n    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)\n`,
        `def find(uid):\n    sql = f"SELECT * FROM t WHERE id = {uid}"\n    cursor.execute(sql)\n`,
        `def f(n):\n    cursor.execute("DELETE FROM t WHERE name = '{}'".format(n))\n`,
      ],
      neg: [
        `def find(uid):\n    cursor.execute("SELECT * FROM t WHERE id = %s", (uid,))\n`,
        `cursor.execute("SELECT * FROM t WHERE id = 1")\n`,
        `def f(uid):\n    cursor.execute("SELECT * FROM t WHERE id = " + str(int(uid)))\n`,
      ],
    },
    javascript: {
      pos: [
        `app.get('/u', (req, res) => { db.query("SELECT * FROM users WHERE id = " + req.query.id); });`,
        'function f(id) { return pool.query(`SELECT * FROM t WHERE id = ${id}`); }',
        `function buildWhere(req) { let where = '1=1'; if (req.query.tag) where += " AND tag = '" + req.query.tag + "'"; return where; }`,
        // An emptiness check on the fragment is not an allow-list.
        `app.get('/s', (req, res) => { let cond = ''; if (req.query.city) cond += "city = '" + req.query.city + "'"; if (cond === '') return res.json([]); db.query('SELECT * FROM shops WHERE ' + cond); });`,
      ],
      neg: [`app.get('/u', (req, res) => { db.query("SELECT * FROM users WHERE id = ?", [req.query.id]); });`, 'const m = new Map(); m.get("SELECT * FROM x WHERE a = 1");', `function buildWhere(req) { const args = []; let where = '1=1'; if (req.query.tag) { where += ' AND tag = ?'; args.push(req.query.tag); } return [where, args]; }`],
    },
    java: {
      pos: [`class A { void f(HttpServletRequest request, Statement st) throws Exception { String id = request.getParameter("id"); st.executeQuery("SELECT * FROM u WHERE id = '" + id + "'"); } }`, `class Accounts {\n  ResultSet byOwner(Connection c, String owner) throws SQLException {\n    StringBuilder q = new StringBuilder("SELECT id, balance FROM accounts WHERE owner = '");\n    q.append(owner).append("'");\n    return c.createStatement().executeQuery(q.toString());\n  }\n}`],
      neg: [`class Files {\n  List<Map<String, Object>> list(JdbcTemplate jdbc, String sort) {\n    String column = Set.of("name", "size").contains(sort) ? sort : "name";\n    StringBuilder sql = new StringBuilder("SELECT * FROM files");\n    sql.append(" ORDER BY ").append(column);\n    return jdbc.queryForList(sql.toString());\n  }\n}`, `class Accounts {\n  ResultSet all(Connection c, boolean activeOnly) throws SQLException {\n    StringBuilder q = new StringBuilder("SELECT id, balance FROM accounts");\n    if (activeOnly) q.append(" WHERE active = 1");\n    return c.createStatement().executeQuery(q.toString());\n  }\n}`, `class A { void f(Connection c, String id) throws Exception { PreparedStatement p = c.prepareStatement("SELECT * FROM u WHERE id = ?"); p.setString(1, id); p.executeQuery(); } }`],
    },
    go: {
      pos: [`package m\nfunc find(w http.ResponseWriter, r *http.Request) {\n\tq := "SELECT * FROM orders WHERE ref = '"\n\tq += r.FormValue("ref") + "'"\n\tdb.Query(q)\n}`, `package m\nfunc list(c *gin.Context) {\n\tvar items []Item\n\tdb.Order(c.Request.URL.Query().Get("sort")).Find(&items)\n}`, `package m\nfunc byEmail(db *sqlx.DB, email string) (User, error) {\n\tvar u User\n\terr := db.Get(&u, "SELECT * FROM users WHERE email = '"+email+"'")\n\treturn u, err\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tid := r.URL.Query().Get("id")\n\tdb.Query(fmt.Sprintf("SELECT * FROM u WHERE id = '%s'", id))\n}`],
      neg: [`package m\nfunc byRef(db *sql.DB, ref string) *sql.Row {\n\tstmt, _ := db.Prepare("SELECT * FROM orders WHERE ref = ?")\n\treturn stmt.QueryRow(fmt.Sprintf("%s", ref))\n}`, `package m\nfunc page(db *sql.DB, n string) {\n\tdb.Query(fmt.Sprintf("SELECT * FROM items LIMIT %d", n))\n}`, `package m\nconst ordersTable = "orders"\nfunc all(db *sql.DB) {\n\tq := fmt.Sprintf("SELECT * FROM %s", ordersTable)\n\tdb.Query(q)\n}`, `package m\nfunc count(db *sql.DB, table string) {\n\tdb.Query(fmt.Sprintf("SELECT count(*) FROM %s", pq.QuoteIdentifier(table)))\n}`, `package m\nfunc filter(c *gin.Context, column string) {\n\tvar rows []Row\n\tdb.Where(fmt.Sprintf("%s = ?", column), c.Query("v")).Find(&rows)\n}`, `package m\nfunc byEmail(db *sqlx.DB, email string) (User, error) {\n\tvar u User\n\terr := db.Get(&u, "SELECT * FROM users WHERE email = $1", email)\n\treturn u, err\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tid := r.URL.Query().Get("id")\n\tdb.Query("SELECT * FROM u WHERE id = $1", id)\n}`],
    },
    php: {
      pos: [`<?php $id = $_GET['id']; $r = $mysqli->query("SELECT * FROM u WHERE id = " . $id);`, `<?php mysqli_query($conn, "SELECT * FROM u WHERE name = '$name'");`, `<?php $st = $pdo->query("SELECT * FROM orders WHERE ref = '{$_POST['ref']}'");`, `<?php class R { public function list(Request $request) { return DB::table('orders')->orderByRaw($request->input('sort'))->get(); } }`, `<?php class R { public function find(Request $request) { return DB::table('users')->whereRaw("email = '" . $request->email . "'")->first(); } }`],
      neg: [`<?php $st = $pdo->prepare("SELECT * FROM u WHERE id = ?"); $st->execute([$_GET['id']]);`, `<?php class R { public function find(Request $request) { return DB::table('users')->whereRaw('email = ?', [$request->email])->orderByRaw('created_at DESC')->first(); } }`],
    },
    ruby: {
      pos: [`def show\n  User.where("name = '#{params[:name]}'")\nend`, `def f(n)\n  ActiveRecord::Base.connection.execute("SELECT * FROM u WHERE n = '#{n}'")\nend`, `def filter_conditions\n  @conditions = "archived = 0"\n  q = params[:q]\n  @conditions += " AND title LIKE '%#{q}%'" if q.present?\nend`, `def index\n  @posts = Post.order(params[:sort]).limit(20)\nend`, `def self.near(city)\n  find(:all, :conditions => "ST_DWithin(geom, (SELECT geom FROM cities WHERE name ILIKE '#{city}%'), 500)")\nend`, `def cheap_items(max)\n  Item.where(Sequel.lit("price < #{max}"))\nend`, `def by_name(name)\n  DB["SELECT * FROM users WHERE name = '#{name}'"].all\nend`, `def taken?\n  User.exists?(["login = '#{params[:login]}'"])\nend`, `def report(since)\n  sql = <<~SQL\n    SELECT * FROM orders WHERE created_at > '#{since}'\n  SQL\n  ActiveRecord::Base.connection.select_all(sql)\nend`, `def search\n  @posts = Post.where(params[:q].split(" ").map { |w| "title LIKE '%#{w}%'" }.join(" OR "))\nend`, `def purge\n  params[:ids].each do |id|\n    Session.where("user_id = #{id}").delete_all\n  end\nend`, `def search\n  cond = params[:tags].split(",").map { |t| "tags.name = '#{t}'" }.join(" OR ")\n  Post.joins(:tags).where(cond)\nend`],
      neg: [`def search\n  names = params[:tags].to_s.split(",")\n  Post.joins(:tags).where(tags: { name: names })\nend`, `def search\n  words = params[:q].to_s.split(" ")\n  @posts = Post.where(words.map { "title LIKE ?" }.join(" OR "), *words.map { |w| "%#{w}%" })\nend`, `def purge\n  params[:ids].each do |id|\n    Session.where(user_id: id).delete_all\n  end\nend`, `def by_name(name)\n  DB["SELECT * FROM users WHERE name = ?", name].all\n  DB[:users].where(name: name).all\nend`, `def taken?\n  User.exists?(["login = ?", params[:login]])\nend`, `def report\n  sql = <<~SQL\n    SELECT * FROM orders WHERE created_at > NOW() - INTERVAL '1 day'\n  SQL\n  ActiveRecord::Base.connection.select_all(sql)\nend`, `SORT_COLUMNS = %w[title published_at].freeze\ndef index\n  column = SORT_COLUMNS.include?(params[:sort]) ? params[:sort] : "title"\n  @posts = Post.order(column)\nend`, `def self.near(city)\n  find(:all, :conditions => ["ST_DWithin(geom, (SELECT geom FROM cities WHERE name ILIKE ?), 500)", "#{city}%"])\nend`, `def show\n  User.where(name: params[:name])\n  User.where("name = ?", params[:name])\nend`, `def search\n  Article.where("#{Article.table_name}.title ILIKE ?", "%#{params[:q]}%")\nend`, `def filter_conditions\n  @conditions = "archived = 0"\n  @conditions += " AND author_id = #{params[:author].to_i}" if params[:author]\n  order_sql = params[:dir] == "asc" ? "title ASC" : "title DESC"\nend`, `def index\n  @posts = Post.order(created_at: :desc).where(author_id: params[:author])\nend`],
    },
    csharp: {
      pos: [`class A { void F(string id) { var cmd = new SqlCommand("SELECT * FROM u WHERE id = '" + id + "'", conn); } }`, `class A { void F(string id) { cmd.CommandText = $"DELETE FROM u WHERE id = '{id}'"; } }`],
      neg: [`class A { void F(string id) { var cmd = new SqlCommand("SELECT * FROM u WHERE id = @id", conn); cmd.Parameters.AddWithValue("@id", id); } }`],
    },
    rust: {
      pos: [`fn f(conn: &Connection, name: &str) { conn.execute(&format!("DELETE FROM u WHERE name = '{}'", name), []).unwrap(); }`],
      neg: [`fn f(conn: &Connection, name: &str) { conn.execute("DELETE FROM u WHERE name = ?1", [name]).unwrap(); }`],
    },
    c: {
      pos: [`int main(int argc, char **argv) { char q[256]; sprintf(q, "SELECT * FROM u WHERE name = '%s'", argv[1]); sqlite3_exec(db, q, 0, 0, 0); }`, `pqxx::result orders_for(pqxx::work &txn, const std::string &customer) {\n  return txn.exec("SELECT id, total FROM orders WHERE customer = '" + customer + "'");\n}`],
      neg: [`void f(sqlite3 *db) { sqlite3_exec(db, "SELECT * FROM u", 0, 0, 0); }`, `pqxx::result orders_for(pqxx::work &txn, const std::string &customer) {\n  return txn.exec_params("SELECT id, total FROM orders WHERE customer = $1", customer);\n}`],
    },
  },
  'command-injection': {
    python: {
      pos: [`import os\ndef f(host):\n    os.system("ping -c 1 " + host)\n`, `import subprocess\nfrom flask import request\ndef g():\n    subprocess.run(f"ls {request.args['d']}", shell=True)\n`, `import subprocess\ndef g():\n    subprocess.call(["sh", "-c", "echo " + input()])\n`],
      neg: [`import subprocess\ndef g(d):\n    subprocess.run(["ls", d])\n`, `import os\nos.system("ls -la")\n`, `import subprocess, shlex\ndef g(d):\n    subprocess.run("ls " + shlex.quote(d), shell=True)\n`],
    },
    javascript: {
      pos: [
        `const { exec } = require('child_process');\napp.get('/', (req, res) => { exec('ls ' + req.query.dir); });`,
        `const cp = require('child_process'); function f(x) { cp.execSync(\`git log \${x}\`); }`,
        `const execAsync = util.promisify(exec);\nasync function thumb(file) { await execAsync(\`convert \${file} -resize 64x64 thumb.png\`); }`,
        `app.post('/ping', (req, res) => { res.send(require('child_process').execSync('ping -c 1 ' + req.body.host)); });`,
      ],
      neg: [`const { execFile } = require('child_process');\napp.get('/', (req, res) => { execFile('ls', [req.query.dir]); });`, `const re = /a+/; function f(s) { return re.exec(s + "x"); }`, `const run = util.promisify(require('child_process').exec);\nconst runAsync = util.promisify(exec);\nasync function f() { await runAsync('git status'); await other(\`x \${y}\`); }`],
    },
    java: {
      pos: [`class A { void f(String host) throws Exception { Runtime.getRuntime().exec("ping " + host); } }`, `class A { void f(String c) throws Exception { new ProcessBuilder("bash", "-c", "echo " + c).start(); } }`, `class Thumbs {\n  void make(String src) throws IOException {\n    List<String> cmd = new ArrayList<>();\n    cmd.add("sh");\n    cmd.add("-c");\n    cmd.add("convert " + src + " -resize 64x64 thumb.png");\n    new ProcessBuilder(cmd).start();\n  }\n}`],
      neg: [`class Thumbs {\n  void make(String src) throws IOException {\n    List<String> cmd = new ArrayList<>();\n    cmd.add("convert");\n    cmd.add(src);\n    cmd.add("thumb.png");\n    new ProcessBuilder(cmd).start();\n  }\n}`, `class A { void f(String host) throws Exception { new ProcessBuilder("ping", "-c", "1", host).start(); Runtime.getRuntime().exec("ls"); } }`],
    },
    go: {
      pos: [`package m\nfunc f(r *http.Request) { exec.Command("sh", "-c", "ls "+r.FormValue("d")).Run() }`],
      neg: [`package m\nfunc f(r *http.Request) { exec.Command("ls", r.FormValue("d")).Run() }`],
    },
    c: {
      pos: [`int main(int argc, char **argv) { char cmd[128]; snprintf(cmd, sizeof cmd, "ls %s", argv[1]); system(cmd); }`, `static int run_tool(const char *cmdline) {\n  return system(cmdline);\n}\nint main(int argc, char **argv) {\n  return run_tool(argv[1]);\n}`],
      neg: [`int main(void) { system("ls -l"); return 0; }`, `static int run_tool(const char *cmdline) {\n  return system(cmdline);\n}\nint rebuild_index(void) {\n  return run_tool("makewhatis /usr/share/man");\n}`],
    },
    ruby: {
      pos: [`def f\n  system("tar xf #{params[:file]}")\nend`, "def g(x)\n  `ls #{x}`\nend", `def h\n  Open3.capture2("grep #{params[:q]} log")\nend`, `def thumbnail(src, width)\n  args = ["convert"]\n  args << "-resize #{width}x"\n  args.push(src, "thumb.png")\n  system(args.join(" "))\nend`],
      neg: [`def f\n  system("tar", "xf", params[:file])\n  \`ls -l\`\nend`, `def status(dir)\n  IO.popen(["git", "-C", dir, "status", "--porcelain"]) { |io| io.read }\nend`, `def thumbnail(src, width)\n  args = ["convert"]\n  args << "-resize #{Integer(width)}x"\n  args << Shellwords.escape(src)\n  system(args.join(" "))\nend`],
    },
    php: {
      pos: [`<?php system("ping " . $_GET['host']);`, '<?php $o = `ls $dir`;', `<?php $o = shell_exec("convert " . $_FILES['img']['name'] . " out.png");`, `<?php passthru('unzip ' . $_POST['archive']);`, `<?php exec("nslookup " . $_REQUEST['domain'], $lines);`, `<?php class U { public function thumb(Request $request) { exec("convert uploads/{$request->file('img')->getClientOriginalName()} thumb.png"); } }`],
      neg: [`<?php system("ping " . escapeshellarg($_GET['host'])); system("ls");`],
    },
    rust: {
      pos: [`fn f(x: String) { Command::new("sh").arg("-c").arg(format!("ls {}", x)).output(); }`],
      neg: [`fn f(x: String) { Command::new("ls").arg(x).output(); }`],
    },
    csharp: {
      pos: [`class A { void F(string a) { Process.Start("cmd.exe", "/c dir " + a); } }`],
      neg: [`class A { void F() { Process.Start("notepad.exe", "readme.txt"); } }`],
    },
  },
  'code-injection': {
    java: {
      pos: [
        `@RestController\nclass Calc {\n  @PostMapping("/eval")\n  Object run(@RequestBody String script) throws Exception {\n    ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");\n    return engine.eval(script);\n  }\n}`,
        `@RestController\nclass Calc {\n  @GetMapping("/calc")\n  Object calc(@RequestParam String expr) {\n    return new SpelExpressionParser().parseExpression(expr).getValue();\n  }\n  @GetMapping("/make")\n  Object make(@RequestParam String type) throws Exception {\n    return Class.forName(type).getDeclaredConstructor().newInstance();\n  }\n}`,
      ],
      neg: [
        `class Calc {\n  Object total(ScriptEngine engine) throws Exception {\n    return engine.eval("1 + 2");\n  }\n  Object driver() throws Exception {\n    return Class.forName("org.postgresql.Driver");\n  }\n  Object rule(ExpressionParser p) {\n    return p.parseExpression("price * 1.2").getValue();\n  }\n}`,
      ],
    },
    python: {
      pos: [`import json\nfrom flask import request\n@app.post("/calc")\ndef calc():\n    return str(eval(json.loads(request.data)["expression"]))\n`, `from flask import request\ndef f():\n    return eval(request.args["expr"])\n`, `resp = client.chat.completions.create(model="m", messages=[])\ncode = resp.choices[0].message.content\nexec(code)\n`],
      neg: [`import ast\ndef f(s):\n    return ast.literal_eval(s)\n`, `eval("1 + 2")\nmodel.eval()\n`],
    },
    javascript: {
      pos: [`app.post('/preview', (req, res) => { const render = _.template(req.body.template); res.send(render({ user: req.user })); });`, `app.post('/calc', (req, res) => { res.send(String(eval(req.body.expr))); });`, `function f(body) { return new Function("return " + body)(); }`, `function load(dir, name) { return require(dir + '/' + name); }`],
      neg: [`app.post('/preview', (req, res) => { const render = _.template(PAGE_TEMPLATE); res.send(render({ note: req.body.note })); });`, `const x = eval("2 + 2"); setTimeout(() => run(), 10); setTimeout(handler, 5); const fs = require('fs');`, `function arith(formula) {\n  const ok = new Set('0123456789.+-*/() ');\n  for (const c of formula) if (!ok.has(c)) throw new Error('bad');\n  return Function(\`return (\${formula});\`)();\n}`, `function arith(formula) { if (!/^[0-9.+\\-*\\/() ]+$/.test(formula)) return NaN; return eval(formula); }`],
    },
    php: {
      pos: [`<?php eval($_POST['code']);`, `<?php eval("return " . $expr . ";");`],
      neg: [`<?php eval('return 1;');`],
    },
    ruby: {
      pos: [`post "/calc" do\n  expr = JSON.parse(request.body.read)["expression"]\n  eval(expr).to_s\nend`, `def f\n  eval(params[:code])\nend`, `def g\n  params[:m].constantize\nend`, `def define_reader(name)\n  class_eval <<-RUBY, __FILE__, __LINE__ + 1\n    def #{name}; @#{name}; end\n  RUBY\nend`, `def preview\n  ERB.new("Dear #{params[:name]}, thanks").result(binding)\nend`],
      neg: [`def f\n  eval("1 + 1")\n  instance_eval { x }\nend`, `def setup\n  eval <<-CODE, binding\n    class Widget < Base; end\n  CODE\nend`, `def preview\n  ERB.new(File.read("templates/mail.erb")).result_with_hash(name: params[:name])\nend`],
    },
  },
  'unsafe-deserialization': {
    python: {
      pos: [`import pickle\ndef load(path):\n    with open(path, "rb") as f:\n        return pickle.load(f)\n`, `import joblib\nmodel = joblib.load(model_path)\n`, `import pandas as pd\ndf = pd.read_pickle(p)\n`, `import dill\nobj = dill.loads(blob)\n`],
      neg: [`import json\nwith open(p) as f:\n    data = json.load(f)\n`, `import pickle\ndata = pickle.dumps(obj)\n`],
    },
    java: {
      pos: [`class Store {\n  Object load(String xml) {\n    XStream x = new XStream();\n    return x.fromXML(xml);\n  }\n}`, `class Msg {\n  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@class")\n  public Object payload;\n}`, `class A { Object f(InputStream in) throws Exception { ObjectInputStream ois = new ObjectInputStream(in); return ois.readObject(); } }`, `class A { Object f(String s) { XStream xs = new XStream(); return xs.fromXML(s); } }`],
      neg: [`class Msg {\n  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")\n  @JsonSubTypes({ @JsonSubTypes.Type(value = Cat.class, name = "cat") })\n  public Animal payload;\n}`, `class A { Object f(InputStream in) throws Exception { ObjectInputStream ois = new ObjectInputStream(in); ois.setObjectInputFilter(filter); return ois.readObject(); } }`, `class A { Object f(String s) { return new Yaml(new SafeConstructor(new LoaderOptions())).load(s); } }`],
    },
    ruby: {
      pos: [`def f\n  Marshal.load(Base64.decode64(params[:d]))\nend`, `def g(s)\n  YAML.load(s)\nend`],
      neg: [`def f(s)\n  JSON.parse(s)\n  YAML.safe_load(s)\nend`],
    },
    php: {
      pos: [`<?php $o = unserialize($_COOKIE['data']);`],
      neg: [`<?php $o = json_decode($_COOKIE['data']); $p = unserialize($s, ['allowed_classes' => false]);`],
    },
    csharp: {
      pos: [`class A { object F(Stream s) { var bf = new BinaryFormatter(); return bf.Deserialize(s); } }`, `class A { void F() { var st = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All }; } }`],
      neg: [`class A { T F<T>(string s) { return JsonSerializer.Deserialize<T>(s); } void G() { var st = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None }; } }`],
    },
    javascript: {
      pos: [`const serialize = require('node-serialize'); app.get('/', (req, res) => { serialize.unserialize(req.cookies.profile); });`],
      neg: [`app.get('/', (req, res) => { JSON.parse(req.cookies.profile); });`],
    },
  },
  'torch-load-unsafe': {
    python: {
      pos: [`import torch\nmodel = torch.load("model.pt")\n`, `import torch\nsd = torch.load(path, map_location="cpu", weights_only=False)\n`],
      neg: [`import torch\nsd = torch.load(path, weights_only=True)\n`, `import safetensors.torch\nsd = safetensors.torch.load_file(path)\n`],
    },
  },
  'yaml-unsafe-load': {
    python: {
      pos: [`import yaml\ncfg = yaml.load(open("c.yml"))\n`, `import yaml\ncfg = yaml.load(s, Loader=yaml.FullLoader)\n`, `import yaml\nx = yaml.unsafe_load(s)\n`],
      neg: [`import yaml\ncfg = yaml.safe_load(s)\ncfg2 = yaml.load(s, Loader=yaml.SafeLoader)\n`],
    },
  },
  'hf-trust-remote-code': {
    python: {
      pos: [`from transformers import AutoModel\nm = AutoModel.from_pretrained("org/model", trust_remote_code=True)\n`],
      neg: [`from transformers import AutoModel\nm = AutoModel.from_pretrained("org/model", revision="0123456789abcdef0123456789abcdef01234567", trust_remote_code=False)\n`],
    },
    javascript: {
      pos: [`const m = await AutoModel.from_pretrained('org/m', { trust_remote_code: true });`],
      neg: [`const m = await AutoModel.from_pretrained('org/m', { revision: 'main' });`],
    },
  },
  'hf-unpinned-download': {
    python: {
      pos: [`from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained("meta-llama/Llama-3-8B")\n`, `from huggingface_hub import hf_hub_download\np = hf_hub_download(repo_id="org/m", filename="w.bin", revision="main")\n`, `import torch\nm = torch.hub.load("org/repo", "model", trust_repo=True)\n`, `from transformers import AutoModel\nBRANCH = "main"\nm = AutoModel.from_pretrained("org/m", revision=BRANCH)\n`],
      neg: [`from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", revision="0123456789abcdef0123456789abcdef01234567")\nn = AutoModel.from_pretrained("./local-model")\n`, `from transformers import AutoModel\nREV = "0123456789abcdef0123456789abcdef01234567"\ndef load(repo, revision=REV):\n    a = AutoModel.from_pretrained(repo, revision=revision)\n    return AutoModel.from_pretrained("org/m", revision=REV), a\n`, `from datasets import load_dataset\nd = load_dataset("csv", data_files="x.csv")\n`],
    },
  },
  'numpy-allow-pickle': {
    python: {
      pos: [`import numpy as np\narr = np.load("x.npy", allow_pickle=True)\n`],
      neg: [`import numpy as np\narr = np.load("x.npy")\nb = np.load("y.npy", allow_pickle=False)\n`],
    },
  },
  'keras-unsafe-load': {
    python: {
      pos: [`import keras\nm = keras.models.load_model("m.keras", safe_mode=False)\n`, `import keras\nkeras.config.enable_unsafe_deserialization()\n`, `from tensorflow import keras\nx = keras.layers.Lambda(lambda t: t * 2)(inp)\n`],
      neg: [`import keras\nm = keras.models.load_model("m.keras")\nn = keras.models.load_model("m.keras", safe_mode=True)\n`],
    },
  },
  'hardcoded-provider-key': {
    python: { pos: [`client = OpenAI(api_key="sk-proj-${'A'.repeat(24)}T3BlbkFJ${'b'.repeat(24)}")\n`, `HF = "hf_${'a'.repeat(34)}"\n`], neg: [`import os\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n`] },
    javascript: { pos: [`const anthropic = new Anthropic({ apiKey: 'sk-ant-api03-${'x'.repeat(40)}' });`], neg: [`const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });`] },
    java: { pos: [`class A { String k = "AKIA${'ABCDEFGHIJKLMNOP'}"; }`], neg: [`class A { String k = System.getenv("AWS_ACCESS_KEY_ID"); }`] },
    go: { pos: [`package m\nconst tok = "ghp_${'a1B2'.repeat(9)}"`], neg: [`package m\nvar tok = os.Getenv("GITHUB_TOKEN")`] },
    c: { pos: [`const char *key = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\\n";`], neg: [`const char *hdr = "-----BEGIN CERTIFICATE-----";`, `std::string pem = "-----BEGIN PRIVATE KEY-----\\n" + base64(der) + "\\n-----END PRIVATE KEY-----\\n";`] },
    ruby: { pos: [`STRIPE = "sk_live_${'a'.repeat(24)}"`], neg: [`STRIPE = ENV["STRIPE_KEY"]`] },
    php: { pos: [`<?php $slack = "xoxb-123456789012-abcdefghij";`], neg: [`<?php $slack = getenv("SLACK_TOKEN");`] },
    rust: { pos: [`const KEY: &str = "AIza${'B'.repeat(35)}";`], neg: [`fn k() -> String { std::env::var("GOOGLE_KEY").unwrap() }`] },
    csharp: { pos: [`class A { string t = "glpat-${'a'.repeat(20)}"; }`], neg: [`class A { string t = Environment.GetEnvironmentVariable("GITLAB_TOKEN"); }`] },
  },
  'hardcoded-password': {
    python: { pos: [`DB_PASSWORD = "hunter2!"\n`, `conn = psycopg2.connect(host="db", user="app", password="S3cr3tPass")\n`], neg: [`import os\nDB_PASSWORD = os.environ["DB_PASSWORD"]\npassword_label = "Password"\nPASSWORD_FIELD = "password"\n`] },
    javascript: { pos: [`mongoose.connect('mongodb://admin:Tr0ub4dor@localhost:27017/shop');`, `const token = CryptoJS.AES.encrypt(JSON.stringify(data), 'my-passphrase-2024').toString();`, `const cipher = crypto.createCipheriv('aes-256-cbc', Buffer.from('0123456789abcdef0123456789abcdef'), iv);`, `const token = jwt.sign(claims, process.env.JWT_SECRET || 'dev-secret', { expiresIn: '15m' });`, `app.post('/login', (req, res) => { res.json({ token: jwt.sign({ sub: user.id }, 'change-me-later', { expiresIn: '1h' }) }); });`, `app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));`, `const config = { user: 'admin', password: 'Adm1nPass!' };`, `const apiKey = "a8f5f167f44f4964e6c998dee827110c";`], neg: [`mongoose.connect(process.env.MONGO_URL ?? 'mongodb://localhost:27017/shop');`, `const dsn = \`postgres://\${user}:\${pass}@\${host}/app\`;`, `const token = CryptoJS.AES.encrypt(JSON.stringify(data), process.env.DATA_KEY).toString();`, `const cipher = crypto.createCipheriv('aes-256-gcm', keyFromKms, crypto.randomBytes(12));`, `const token = jwt.sign(claims, process.env.JWT_SECRET ?? loadSecret(), { expiresIn: '15m' });`, `app.post('/login', (req, res) => { res.json({ token: jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' }) }); });`, `app.use(session({ secret: config.sessionSecret, resave: false }));`, `const config = { user: 'admin', password: process.env.DB_PASS }; const passwordPlaceholder = "Enter your password";`] },
    java: { pos: [`class A { private static final String PASSWORD = "changeit123"; }`, `class A { void f() throws Exception { DriverManager.getConnection(url, "sa", "Passw0rd"); } }`], neg: [`class A { private String password = System.getenv("PW"); }`] },
    go: { pos: [`package m\nvar dbPassword = "pa55word"`], neg: [`package m\nvar dbPassword = os.Getenv("DB_PASSWORD")`] },
    c: {
      pos: [`const char *password = "letmein123";`, `int admin_login(const char *user, const char *passwd) {\n  return strcmp(user, "admin") == 0 && strcmp(passwd, "Tr0ub4dor&3") == 0;\n}`, `bool unlock(const std::string &master_password) {\n  return master_password == "482913xq";\n}`, `#define SERVICE_PASS "q7Rw!x92"\nint ok(const char *p) { return strcmp(p, SERVICE_PASS) == 0; }`],
      neg: [`const char *password = getenv("APP_PASSWORD");`, `#define PASSWORD_PROMPT "Password:"\n#define MAX_PASS_LEN 64\n#define TOKEN_ENV "SVC_TOKEN"\n`, `int is_bearer(const char *token) {\n  return strncmp(token, "Bearer ", 7) == 0;\n}`, `bool verbose(const std::string &mode) {\n  return mode == "verbose";\n}`],
    },
    ruby: { pos: [`config.secret_key = "d3adb33fd3adb33f"`], neg: [`config.secret_key = ENV.fetch("SECRET_KEY")`] },
    php: { pos: [`<?php $db_password = "rootroot";`], neg: [`<?php $db_password = getenv("DB_PASSWORD");`] },
    rust: { pos: [`fn main() { let password = "tr0ub4dor&3"; }`], neg: [`fn main() { let password = std::env::var("PW").unwrap(); }`] },
    csharp: { pos: [`class A { string Password = "P@ssw0rd1"; }`], neg: [`class A { string Password = config["Password"]; }`] },
  },
  'tls-verification-disabled': {
    python: { pos: [`import requests\nr = requests.get(url, verify=False)\n`, `import ssl\nctx = ssl._create_unverified_context()\n`], neg: [`import requests\nr = requests.get(url, verify=True, timeout=5)\n`] },
    javascript: { pos: [`const agent = new https.Agent({ rejectUnauthorized: false });`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';`], neg: [`const agent = new https.Agent({ rejectUnauthorized: true, ca });`] },
    go: { pos: [`package m\nvar c = &tls.Config{InsecureSkipVerify: true}`], neg: [`package m\nvar c = &tls.Config{MinVersion: tls.VersionTLS12}`] },
    java: { pos: [`class A { TrustManager[] tm = new TrustManager[]{ new X509TrustManager() { public void checkClientTrusted(X509Certificate[] c, String a) {} public void checkServerTrusted(X509Certificate[] c, String a) {} public X509Certificate[] getAcceptedIssuers() { return null; } } }; }`, `class Http {\n  CloseableHttpClient client() {\n    return HttpClients.custom().setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();\n  }\n}`, `class Http {\n  static { HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true); }\n}`], neg: [`class Http {\n  static { HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> "api.example.com".equals(host)); }\n}`, `class A { SSLContext ctx = SSLContext.getInstance("TLSv1.3"); }`] },
    csharp: { pos: [`class A { void F() { ServicePointManager.ServerCertificateValidationCallback = (s, c, ch, e) => true; } }`], neg: [`class A { void F() { ServicePointManager.ServerCertificateValidationCallback = Validate; } }`] },
    ruby: { pos: [`http.verify_mode = OpenSSL::SSL::VERIFY_NONE`], neg: [`http.verify_mode = OpenSSL::SSL::VERIFY_PEER`] },
    php: { pos: [`<?php curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);`], neg: [`<?php curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);`] },
    c: { pos: [`void f(CURL *c) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L); }`], neg: [`void f(CURL *c) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L); }`] },
    rust: { pos: [`fn c() { let c = reqwest::Client::builder().danger_accept_invalid_certs(true).build(); }`], neg: [`fn c() { let c = reqwest::Client::builder().build(); }`] },
  },
  'weak-hash': {
    python: { pos: [`import hashlib\nh = hashlib.md5(data).hexdigest()\n`, `import hashlib\ndef store(password):\n    return hashlib.sha256(password.encode()).hexdigest()\n`], neg: [`import hashlib\nh = hashlib.sha256(data).hexdigest()\ng = hashlib.md5(data, usedforsecurity=False)\n`] },
    javascript: {
      pos: [`const digest = CryptoJS.SHA256(password).toString();`, `async function register(pw) { return bcrypt.hash(pw, 6); }`, `function derive(pw, salt) { return crypto.pbkdf2Sync(pw, salt, 1000, 32, 'sha256'); }`, `const h = crypto.createHash('md5').update(s).digest('hex');`, `UserSchema.methods.hashPassword = function (password) { return crypto.createHmac('sha256', this.salt).update(password).digest('hex'); };`],
      neg: [`const etag = CryptoJS.SHA256(fileContents).toString();`, `async function register(pw) { return bcrypt.hash(pw, 12); }`, `function derive(pw, salt) { return crypto.pbkdf2Sync(pw, salt, 600000, 32, 'sha256'); }`, `const h = crypto.createHash('sha256').update(s).digest('hex');`, `function sign(body) { return crypto.createHmac('sha256', process.env.WEBHOOK_SECRET).update(body).digest('hex'); }`],
    },
    java: { pos: [`class A { void f() throws Exception { MessageDigest md = MessageDigest.getInstance("MD5"); } }`], neg: [`class A { void f() throws Exception { MessageDigest md = MessageDigest.getInstance("SHA-256"); } }`] },
    go: { pos: [`package m\nfunc f(b []byte) { h := md5.Sum(b); _ = h }`], neg: [`package m\nfunc f(b []byte) { h := sha256.Sum256(b); _ = h }`] },
    c: { pos: [`void f(const unsigned char *d, size_t n, unsigned char *o) { MD5(d, n, o); }`], neg: [`int derive_key(const char *password, const unsigned char *salt, unsigned char *out) {\n  return PKCS5_PBKDF2_HMAC(password, strlen(password), salt, 16, 600000, EVP_sha256(), 32, out);\n}`, `void f(const unsigned char *d, size_t n, unsigned char *o) { SHA256(d, n, o); }`] },
    ruby: { pos: [`d = Digest::MD5.hexdigest(data)`], neg: [`d = Digest::SHA256.hexdigest(data)`] },
    php: { pos: [`<?php $h = md5($data);`], neg: [`<?php $h = hash('sha256', $data); $p = password_hash($pw, PASSWORD_DEFAULT);`] },
    csharp: { pos: [`class A { void F() { using var md5 = MD5.Create(); } }`], neg: [`class A { void F() { using var sha = SHA256.Create(); } }`] },
    rust: { pos: [`fn f(b: &[u8]) { let d = md5::compute(b); }`], neg: [`fn f(b: &[u8]) { let d = Sha256::digest(b); }`] },
  },
  'weak-cipher': {
    python: { pos: [`from Crypto.Cipher import DES\nc = DES.new(key, DES.MODE_ECB)\n`, `from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_ECB)\n`], neg: [`from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_GCM)\n`] },
    javascript: { pos: [`const srv = https.createServer({ key, cert, secureProtocol: 'TLSv1_method' }, app);`, `const socket = tls.connect(443, host, { minVersion: 'TLSv1.1' });`, `const c = crypto.createCipheriv('des-ede3-cbc', key, iv);`, `const c = crypto.createCipher('aes-256-cbc', pw);`], neg: [`const srv = https.createServer({ key, cert, minVersion: 'TLSv1.2' }, app);`, `const c = crypto.createCipheriv('aes-256-gcm', key, iv);`] },
    java: { pos: [`class A { void f() throws Exception { Cipher c = Cipher.getInstance("DES/ECB/PKCS5Padding"); } }`, `class A { void f() throws Exception { Cipher c = Cipher.getInstance("AES"); } }`, `class Legacy {\n  Cipher c() throws Exception { return Cipher.getInstance("RC2/CBC/PKCS5Padding"); }\n  SSLContext tls() throws Exception { return SSLContext.getInstance("TLSv1"); }\n}`, `class Keys {\n  KeyGenParameterSpec spec() {\n    return new KeyGenParameterSpec.Builder("k", KeyProperties.PURPOSE_ENCRYPT).setBlockModes(KeyProperties.BLOCK_MODE_ECB).build();\n  }\n}`, `class Box {\n  byte[] seal(SecretKey k, byte[] iv, byte[] d) throws Exception {\n    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");\n    c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));\n    return c.doFinal(d);\n  }\n}`], neg: [`class Box {\n  byte[] seal(SecretKey k, SecretKey mk, byte[] iv, byte[] d) throws Exception {\n    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");\n    c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));\n    byte[] ct = c.doFinal(d);\n    Mac mac = Mac.getInstance("HmacSHA256");\n    mac.init(mk);\n    return concat(ct, mac.doFinal(ct));\n  }\n}`, `class Modern {\n  SSLContext tls() throws Exception { return SSLContext.getInstance("TLSv1.3"); }\n  KeyGenParameterSpec spec() {\n    return new KeyGenParameterSpec.Builder("k", KeyProperties.PURPOSE_ENCRYPT).setBlockModes(KeyProperties.BLOCK_MODE_GCM).build();\n  }\n}`, `class A { void f() throws Exception { Cipher c = Cipher.getInstance("AES/GCM/NoPadding"); } }`] },
    go: { pos: [`package m\nvar srv = &http.Server{TLSConfig: &tls.Config{MinVersion: tls.VersionTLS11}}`, `package m\nfunc legacy(cfg *tls.Config) { cfg.CipherSuites = []uint16{tls.TLS_RSA_WITH_RC4_128_SHA} }`, `package m\nfunc old(cfg *tls.Config) { cfg.MinVersion = tls.VersionTLS10 }`, `package m\nfunc f(k []byte) { b, _ := des.NewCipher(k); _ = b }`], neg: [`package m\nfunc name(v uint16) string {\n\tswitch v {\n\tcase tls.VersionTLS10:\n\t\treturn "TLS 1.0"\n\t}\n\treturn ""\n}`, `package m\nfunc check(cfg *tls.Config) error {\n\tif cfg.MinVersion < tls.VersionTLS12 {\n\t\treturn errOld\n\t}\n\treturn nil\n}`, `package m\nfunc f(k []byte) { b, _ := aes.NewCipher(k); _ = b }`] },
    c: { pos: [`void f(EVP_CIPHER_CTX *c, unsigned char *k) { EVP_EncryptInit_ex(c, EVP_des_cbc(), NULL, k, NULL); }`], neg: [`void f(EVP_CIPHER_CTX *c, unsigned char *k, unsigned char *iv) { EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, k, iv); }`] },
    ruby: { pos: [`c = OpenSSL::Cipher.new("des-ede3-cbc")`], neg: [`c = OpenSSL::Cipher.new("aes-256-gcm")`] },
    php: { pos: [`<?php $c = openssl_encrypt($d, "des-ede3", $k);`], neg: [`<?php $c = openssl_encrypt($d, "aes-256-gcm", $k, 0, $iv, $tag);`] },
    csharp: { pos: [`class A { void F() { var d = new TripleDESCryptoServiceProvider(); } }`], neg: [`class A { void F() { var a = Aes.Create(); } }`] },
    rust: { pos: [`fn f(k: &[u8]) { let c = Des::new_from_slice(k); }`], neg: [`fn f(k: &[u8]) { let c = Aes256Gcm::new_from_slice(k); }`] },
  },
  'weak-key-size': {
    python: { pos: [`from cryptography.hazmat.primitives.asymmetric import rsa\nk = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n`], neg: [`from cryptography.hazmat.primitives.asymmetric import rsa\nk = rsa.generate_private_key(public_exponent=65537, key_size=3072)\n`] },
    javascript: { pos: [`const key = new NodeRSA({ b: 1024 });`, `const forge = require('node-forge'); const kp = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });`, `const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });`], neg: [`const key = new NodeRSA({ b: 2048 });`, `const forge = require('node-forge'); const kp = forge.pki.rsa.generateKeyPair({ bits: 3072 });`, `const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 4096 });`] },
    java: { pos: [`class K { void dh() throws IOException { Runtime.getRuntime().exec("openssl dhparam -out dh.pem 1024"); } }`, `class A { void f() throws Exception { KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA"); kpg.initialize(1024); } }`], neg: [`class A { void f() throws Exception { KeyPairGenerator gen = KeyPairGenerator.getInstance("EC"); gen.initialize(256); } }`, `class K { void dh() throws IOException { Runtime.getRuntime().exec("openssl dhparam -out dh.pem 2048"); } }`, `class A { void f() throws Exception { KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA"); kpg.initialize(2048); } }`] },
    go: { pos: [`package m\nfunc newKey(bits int) (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, bits) }`, `package m\n\nfunc selfSigned() error {\n	return exec.Command("sh", "-c", "openssl req -x509 -newkey rsa:1024 -nodes -keyout k.pem -out c.pem").Run()\n}`, `package m\nfunc f() { k, _ := rsa.GenerateKey(rand.Reader, 1024); _ = k }`, `package m\nfunc f(p *dsa.Parameters) { dsa.GenerateParameters(p, rand.Reader, dsa.L1024N160) }`], neg: [`package m\nfunc newKey(bits int) (*rsa.PrivateKey, error) {\n\tif bits < 2048 {\n\t\treturn nil, errShort\n\t}\n\treturn rsa.GenerateKey(rand.Reader, bits)\n}`, `package m\n\nfunc selfSigned() error {\n	return exec.Command("sh", "-c", "openssl req -x509 -newkey rsa:3072 -nodes -keyout k.pem -out c.pem").Run()\n}`, `package m\nfunc f() { k, _ := rsa.GenerateKey(rand.Reader, 2048); _ = k }`] },
    c: { pos: [`int make_key(void) { return system("openssl genrsa -out key.pem 1024"); }`, `FILE *gen(void) { return popen("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024", "r"); }`, `void f(RSA *r, BIGNUM *e) { RSA_generate_key_ex(r, 1024, e, NULL); }`, `int gen_rsa(const std::string &out) {\n  std::string cmd = "openssl genrsa -out " + out + " 1024";\n  return std::system(cmd.c_str());\n}`], neg: [`int gen_rsa(const std::string &out) {\n  std::string cmd = "openssl genrsa -out " + out + " 3072";\n  return std::system(cmd.c_str());\n}`, `int make_key(void) { return system("openssl genrsa -out key.pem 4096"); }`, `int show(void) { return system("openssl version"); }`, `void f(RSA *r, BIGNUM *e) { RSA_generate_key_ex(r, 4096, e, NULL); }`] },
    ruby: { pos: [`key = OpenSSL::PKey::RSA.new(1024)`], neg: [`key = OpenSSL::PKey::RSA.new(2048)`] },
    php: { pos: [`<?php $k = openssl_pkey_new(['private_key_bits' => 1024]);`], neg: [`<?php $k = openssl_pkey_new(['private_key_bits' => 4096]);`] },
    csharp: { pos: [`class A { void F() { var r = new RSACryptoServiceProvider(1024); } }`], neg: [`class A { void F() { var r = RSA.Create(3072); } }`] },
    rust: { pos: [`fn f() { let k = RsaPrivateKey::new(&mut rng, 1024); }`], neg: [`fn f() { let k = RsaPrivateKey::new(&mut rng, 2048); }`] },
  },
  'static-iv': {
    python: { pos: [`from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_CBC, iv=b"\\x00" * 16)\n`, `from Crypto.Cipher import AES\ndef enc(key, data):\n    iv = b"\\x00" * 16\n    return AES.new(key, AES.MODE_CBC, iv).encrypt(data)\n`, `import hashlib\ndef h(pw):\n    salt = b"static-salt"\n    return hashlib.pbkdf2_hmac("sha256", pw.encode(), salt, 100000)\n`], neg: [`import os\nfrom Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_CBC, iv=os.urandom(16))\n`, `import hashlib, os\ndef h(pw):\n    salt = os.urandom(16)\n    return hashlib.pbkdf2_hmac("sha256", pw.encode(), salt, 100000)\n`] },
    javascript: { pos: [`const c = crypto.createCipheriv('aes-128-gcm', key, Buffer.from('000000000000'));`, `function enc(k, d) { const iv = Buffer.alloc(16, 0); return crypto.createCipheriv('aes-256-cbc', k, iv).update(d); }`, `function hashPw(pw) { const salt = Buffer.from('8f3a0c1d9e77', 'hex'); return crypto.pbkdf2Sync(pw, salt, 100000, 32, 'sha256'); }`, `const c = crypto.createCipheriv('aes-256-cbc', key, Buffer.alloc(16));`, `const k = crypto.pbkdf2Sync(pw, 'salt', 100000, 64, 'sha512');`], neg: [`const c = crypto.createCipheriv('aes-256-ecb', key, null);`, `function enc(k, d) { const iv = crypto.randomBytes(16); return crypto.createCipheriv('aes-256-cbc', k, iv).update(d); }`, `function hashPw(pw, stored) { const salt = Buffer.from(stored.salt, 'hex'); return crypto.pbkdf2Sync(pw, salt, 100000, 32, 'sha256'); }`, `const c = crypto.createCipheriv('aes-256-cbc', key, crypto.randomBytes(16));`] },
    java: { pos: [`class A { void f() { IvParameterSpec iv = new IvParameterSpec(new byte[16]); } }`, `class Box { private static final byte[] IV_BYTES = { 0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x08, 0x17, 0x26, 0x35, 0x44, 0x53, 0x62, 0x71, 0x00 }; }`, `class Box { byte[] seal(byte[] m) { byte[] nonce = "unique-nonce".getBytes(StandardCharsets.UTF_8); return m; } }`, `class Vault {\n  private static final SecretKeySpec KEY = new SecretKeySpec("k3y-0f-th3-v4ult".getBytes(StandardCharsets.UTF_8), "AES");\n}`], neg: [`class Vault {\n  SecretKeySpec key(KeyStore ks) throws Exception {\n    byte[] raw = ks.getKey("vault", pass).getEncoded();\n    return new SecretKeySpec(raw, "AES");\n  }\n}`, `class A { void f(SecureRandom r) { byte[] b = new byte[16]; r.nextBytes(b); IvParameterSpec iv = new IvParameterSpec(b); } }`, `class Box { private static final byte[] MAGIC = { 0x50, 0x4b, 0x03, 0x04 }; byte[] seal(SecureRandom r) { byte[] iv = new byte[12]; r.nextBytes(iv); return iv; } }`] },
    go: { pos: [`package m\nfunc seal(block cipher.Block, pt []byte) []byte {\n\tiv := make([]byte, aes.BlockSize)\n\tout := make([]byte, len(pt))\n\tcipher.NewCBCEncrypter(block, iv).CryptBlocks(out, pt)\n\treturn append(iv, out...)\n}`, `package m\n\nfunc enc(block cipher.Block, dst, src []byte) {\n	iv := []byte{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}\n	cipher.NewCBCEncrypter(block, iv).CryptBlocks(dst, src)\n}`, `package m\n\nfunc hash(pw string) []byte {\n	salt := []byte("static-salt-1234")\n	return pbkdf2.Key([]byte(pw), salt, 600000, 32, sha256.New)\n}`, `package m\nfunc f(b cipher.Block) { m := cipher.NewCBCEncrypter(b, []byte("0000000000000000")); _ = m }`], neg: [`package m\nfunc seal(aead cipher.AEAD, pt []byte) []byte {\n\tnonce := make([]byte, aead.NonceSize())\n\tif _, err := rand.Read(nonce); err != nil {\n\t\tpanic(err)\n\t}\n\treturn aead.Seal(nonce, nonce, pt, nil)\n}`, `package m\n\nfunc enc(block cipher.Block, dst, src []byte) {\n	iv := make([]byte, aes.BlockSize)\n	if _, err := io.ReadFull(rand.Reader, iv); err != nil {\n		panic(err)\n	}\n	cipher.NewCBCEncrypter(block, iv).CryptBlocks(dst, src)\n}`, `package m\n\nfunc hash(pw string) ([]byte, []byte) {\n	salt := make([]byte, 16)\n	rand.Read(salt)\n	return pbkdf2.Key([]byte(pw), salt, 600000, 32, sha256.New), salt\n}`, `package m\nfunc f(b cipher.Block, iv []byte) { m := cipher.NewCBCEncrypter(b, iv); _ = m }`] },
    ruby: {
      pos: [`def cipher(key)\n  c = OpenSSL::Cipher.new("aes-256-cbc")\n  c.encrypt\n  c.key = key\n  c.iv = "0000000000000000"\n  c\nend`, `def box\n  c = OpenSSL::Cipher.new("aes-256-gcm")\n  c.key = "0123456789abcdef0123456789abcdef"\n  c\nend`],
      neg: [`def cipher(key)\n  c = OpenSSL::Cipher.new("aes-256-cbc")\n  c.encrypt\n  c.key = key\n  c.iv = c.random_iv\n  c\nend`],
    },
    c: { pos: [`void enc(const unsigned char *in, unsigned char *out, size_t n, const AES_KEY *k) {\n  unsigned char *iv = malloc(16);\n  memcpy(iv, "0123456789abcdef", 16);\n  unsigned char iv_copy[16];\n  memcpy(iv_copy, iv, 16);\n  AES_cbc_encrypt(in, out, n, k, iv_copy, AES_ENCRYPT);\n}`, `void hash_pw(const char *pw, unsigned char *out) {\n  unsigned char salt[16];\n  memset(salt, 0, sizeof salt);\n  PKCS5_PBKDF2_HMAC(pw, strlen(pw), salt, sizeof salt, 100000, EVP_sha256(), 32, out);\n}`, `struct rec { unsigned char salt[16]; unsigned char hash[32]; };\nvoid hash_all(struct rec *r, char **pws, int n) {\n  for (int i = 0; i < n; i++) {\n    // RAND_bytes(r[i].salt, 16);\n    std::memset(r[i].salt, 0, 16);\n    PKCS5_PBKDF2_HMAC(pws[i], strlen(pws[i]), r[i].salt, 16, 100000, EVP_sha256(), 32, r[i].hash);\n  }\n}`, `void f(EVP_CIPHER_CTX *c, unsigned char *k) { EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, k, "0123456789abcdef"); }`, `void f(EVP_CIPHER_CTX *c, const std::vector<uint8_t> &k) { std::vector<uint8_t> iv = {0x00, 0x01, 0x02, 0x03}; EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), NULL, k.data(), iv.data()); }`], neg: [`void enc(EVP_CIPHER_CTX *c, const unsigned char *key) {\n  EVP_EncryptInit_ex(c, EVP_aes_256_ecb(), NULL, key, NULL);\n}`, `void enc(const unsigned char *in, unsigned char *out, size_t n, const AES_KEY *k) {\n  unsigned char iv[16];\n  RAND_bytes(iv, sizeof iv);\n  unsigned char iv_copy[16];\n  memcpy(iv_copy, iv, 16);\n  AES_cbc_encrypt(in, out, n, k, iv_copy, AES_ENCRYPT);\n}`, `void hash_pw(const char *pw, unsigned char *out) {\n  unsigned char salt[16];\n  memset(salt, 0, sizeof salt);\n  if (RAND_bytes(salt, sizeof salt) != 1) abort();\n  PKCS5_PBKDF2_HMAC(pw, strlen(pw), salt, sizeof salt, 100000, EVP_sha256(), 32, out);\n}`, `void f(EVP_CIPHER_CTX *c, unsigned char *k, unsigned char *iv) { RAND_bytes(iv, 16); EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, k, iv); }`] },
  },
  'insecure-random': {
    python: { pos: [`import random\ndef make_token():\n    return "".join(random.choice(ALPHABET) for _ in range(32))\n`, `import random\nreset_code = random.randint(100000, 999999)\n`], neg: [`import random\ndef shuffle_deck(d):\n    random.shuffle(d)\nx = random.random()\n`, `import secrets\ntoken = secrets.token_urlsafe(32)\n`] },
    javascript: {
      pos: [`function randomLabel(n) { const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'; let s = ''; for (let i = 0; i < n; i++) s += abc.charAt(Math.floor(Math.random() * abc.length)); return s; }`, `const id = pattern.split('').map((ch) => { const r = (Math.random() * 16) | 0; return ch === 'x' ? r.toString(16) : ch === 'y' ? ((r & 0x3) | 0x8).toString(16) : ch; }).join('');`, `function generateToken() { return Math.random().toString(36).slice(2); }`, `const newId = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => { const r = (Math.random() * 16) | 0; return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16); });`],
      neg: [`function pickColor() { const colors = ['red', 'green', 'blue']; return colors[Math.floor(Math.random() * colors.length)]; }`, `function jitterChar() { return 'abcdef'.charAt(Math.floor(Math.random() * 6)); }`, `function jitter() { return Math.random() * 100; }`, `const newId = () => crypto.randomUUID(); const tint = () => '#xxxxxx'.replace(/x/g, () => ((Math.random() * 16) | 0).toString(16));`],
    },
    java: { pos: [`class A { String sessionId() { return Long.toString(new Random().nextLong()); } }`, `class Sessions {\n  String newSessionId() {\n    String sid = Long.toHexString(new Random().nextLong());\n    return sid;\n  }\n  byte[] newSalt() {\n    Random rng = new Random();\n    byte[] salt = new byte[16];\n    rng.nextBytes(salt);\n    return salt;\n  }\n}`], neg: [`class Noise {\n  byte[] fill(long seed) {\n    Random rng = new Random(seed);\n    byte[] samples = new byte[64];\n    rng.nextBytes(samples);\n    return samples;\n  }\n}`, `class A { int roll() { return new Random().nextInt(6); } }`] },
    go: { pos: [`package m\nimport "math/rand"\nfunc newToken() int { return rand.Intn(1000000) }`], neg: [`package m\nimport "math/rand"\nfunc jitter() int { return rand.Intn(100) }`] },
    c: {
      pos: [`std::string new_session_id() {\n  std::mt19937_64 gen(std::random_device{}());\n  std::uniform_int_distribution<unsigned long long> d;\n  return std::to_string(d(gen));\n}`, `int generate_password_char(void) { return rand() % 62; }`, `void random_code(char *out, size_t n) {\n  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz";\n  for (size_t i = 0; i < n; i++) out[i] = alphabet[rand() % (sizeof alphabet - 1)];\n  out[n] = '\\0';\n}`, `FILE *spool(void) {\n  char name[64];\n  snprintf(name, sizeof name, "/tmp/spool-%d.dat", rand());\n  return fopen(name, "w+");\n}`],
      neg: [`void shuffle_deck(std::vector<int> &deck) {\n  std::mt19937 gen(std::random_device{}());\n  std::shuffle(deck.begin(), deck.end(), gen);\n}`, `int roll_dice(void) { return rand() % 6; }`, `char pick_color(void) {\n  static const char colors[] = "RGB";\n  return colors[rand() % 3];\n}`],
    },
    ruby: { pos: [`def reset_token\n  rand(10**8).to_s\nend`, `def temporary_password\n  chars = [*"a".."z", *"0".."9"]\n  Array.new(12) { chars.sample }.join\nend`, `def api_key\n  Random.new.bytes(24).unpack1("H*")\nend`], neg: [`def temporary_password\n  chars = [*"a".."z", *"0".."9"]\n  Array.new(12) { chars.sample(random: SecureRandom) }.join\nend`, `def shuffled_deck\n  CARDS.shuffle\nend`, `def dice\n  rand(6)\nend`] },
    php: { pos: [`<?php $token = mt_rand();`], neg: [`<?php $token = bin2hex(random_bytes(16)); $n = mt_rand(1, 6);`] },
    csharp: { pos: [`class A { string GenerateToken() { var r = new Random(); return r.Next().ToString(); } }`], neg: [`class A { int Roll() { var r = new Random(); return r.Next(6); } }`] },
    rust: { pos: [`fn generate_token() -> u64 { let mut r = SmallRng::seed_from_u64(1); let t = rand::random::<u64>(); t }`], neg: [`fn generate_token() -> u64 { let mut r = OsRng; r.next_u64() }`] },
  },
  xss: {
    python: { pos: [`from flask import request\n@app.route("/hi")\ndef hi():\n    name = request.args.get("name")\n    return f"<h1>Hello {name}</h1>"\n`, `from django.utils.safestring import mark_safe\ndef f(c):\n    return mark_safe("<b>" + c + "</b>")\n`], neg: [`from flask import request, escape\n@app.route("/hi")\ndef hi():\n    name = request.args.get("name")\n    return f"<h1>Hello {escape(name)}</h1>"\n`, `from flask import render_template\n@app.route("/x")\ndef x():\n    return render_template("x.html", name=request.args["n"])\n`] },
    javascript: { pos: [`function share() { const target = new URLSearchParams(location.search).get('to'); $('#share').attr('href', target); }`, `function Preview() { const inputRef = useRef(null); const show = () => { output.innerHTML = inputRef.current.value; }; return <button onClick={show}>Show</button>; }`, `function backLink() { const next = new URLSearchParams(location.search).get('next'); document.getElementById('back').href = next; }`, `function openTab() { $(location.hash).addClass('active'); }`, `Handlebars.registerHelper('strong', (text) => new Handlebars.SafeString('<strong>' + text + '</strong>'));`, `function preview() { const html = new URLSearchParams(location.search).get('html'); frame.setAttribute('srcdoc', html); }`, `function linkify() {
  const msg = $('<span>');
  msg.text(raw);
  msg.html(msg.text().replace(URL_RE, '<a href="$1">$1</a>'));
}`, `function mirror(row) { const label = $(row).find('.name').text(); $('#title').append(label); }`, `function echoField() { const v = document.getElementById('comment').value; preview.innerHTML = v; }`, `app.get('/', (req, res) => { res.send("<p>" + req.query.name + "</p>"); });`, `function show(msg) { document.getElementById('o').innerHTML = "<b>" + msg + "</b>"; }`, `const C = ({ html }) => <div dangerouslySetInnerHTML={{ __html: html }} />;`, `function row(file) { tbody.append($('<tr><td>' + file.name + '</td></tr>')); }`, `function show(q) { self.$results.html('<p>No results for ' + q + '</p>'); }`, `app.controller('Post', function ($scope, $sce) { $scope.body = $sce.trustAsHtml($scope.post.body); });`, `class V { constructor(private s: DomSanitizer) {} render(c: string) { return this.s.bypassSecurityTrustHtml(c); } }`, 'router.get(\'/hi\', async (ctx) => { ctx.body = `<h1>Hi ${ctx.query.name}</h1>`; });', `function loadPlugin() { const plugin = new URLSearchParams(location.search).get('plugin'); const s = document.createElement('script'); s.src = plugin; document.body.appendChild(s); }`], neg: [`function share() { const target = new URLSearchParams(location.search).get('to'); $('#share').attr('href', SITE + '/share/' + target); }`, `function Preview() { const inputRef = useRef(null); const show = () => { output.textContent = inputRef.current.value; }; return <button onClick={show}>Show</button>; }`, `function backLink() { const next = new URLSearchParams(location.search).get('next'); document.getElementById('back').href = '/app/' + encodeURIComponent(next); }`, `function openTab(id) { $('#' + id).addClass('active'); $(this).hide(); }`, `Handlebars.registerHelper('strong', (text) => new Handlebars.SafeString('<strong>' + Handlebars.escapeExpression(text) + '</strong>'));`, `function avatar() { const u = new URLSearchParams(location.search).get('img'); document.getElementById('pic').src = u; }`, `function linkify() {
  const msg = $('<span>');
  msg.text(raw);
  box.html('<b>static</b>');
}`, `function mirror(row) { const label = $(row).find('.name').text(); $('#title').text(label); $('#out').append($('<b>').text(label)); }`, `function dup(src, dst) { dst.innerHTML = src.innerHTML + '<hr>'; }`, `function title(t) { $('#t').html(escHtml(t)); }`, `function rename(v) { const safe = $('<div/>').text($('#name-' + v).val()).html(); $('#label-' + v).html(safe); }`, `app.controller('Post', function ($scope, $sce) { $scope.body = $sce.trustAsHtml('<b>static</b>'); });`, `router.get('/hi', async (ctx) => { ctx.body = { name: ctx.query.name }; });`, `function loadWidget() { const s = document.createElement('script'); s.src = 'https://cdn.example.com/w.js'; s.integrity = SRI; document.head.appendChild(s); }`, `function jsonp() { const page = new URLSearchParams(location.search).get('page'); const s = document.createElement('script'); s.src = '/api/items.js?page=' + encodeURIComponent(page); document.body.appendChild(s); }`, `function note(msg) { document.getElementById('n').innerHTML = '<b>' + encodeHTML(msg) + '</b>'; }`, `app.get('/doc', (req, res) => { const text = fs.readFileSync(path.join(DOCS, req.query.name), 'utf8'); res.send(text); });`, `function row(file) { tbody.append($('<tr><td>' + escapeHtml(file.name) + '</td></tr>')); $('#x').append(node); }`, `function show(msg) { document.getElementById('o').textContent = msg; el.innerHTML = DOMPurify.sanitize(msg); el.innerHTML = "<b>static</b>"; }`, `app.get('/', (req, res) => { res.json({ name: req.query.name }); });`] },
    java: { pos: [`@RestController\nclass Greeting {\n  @GetMapping("/greet")\n  public String greet(@RequestParam String name) {\n    return "<h1>Hello, " + name + "</h1>";\n  }\n}`, `class S extends HttpServlet { void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException { response.getWriter().println("<p>" + request.getParameter("q") + "</p>"); } }`, `class S extends HttpServlet {\n  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {\n    response.sendError(404, "No such page: " + request.getParameter("page"));\n  }\n}`, `class Echo extends HttpServlet {\n  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {\n    StringBuilder page = new StringBuilder("<html><body>");\n    page.append("<p>").append(req.getParameter("msg")).append("</p>");\n    resp.getWriter().write(page.toString());\n  }\n}`], neg: [`class Echo extends HttpServlet {\n  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {\n    StringBuilder page = new StringBuilder("<html><body>");\n    page.append("<p>").append(Encode.forHtml(req.getParameter("msg"))).append("</p>");\n    resp.getWriter().write(page.toString());\n  }\n}`, `class S extends HttpServlet {\n  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {\n    if (request.getParameter("page") == null) response.sendError(400, "Missing page");\n  }\n}`, `@RestController\nclass Greeting {\n  @GetMapping("/greet")\n  public String greet(@RequestParam String name) {\n    return "<h1>Hello, " + HtmlUtils.htmlEscape(name) + "</h1>";\n  }\n  @GetMapping(value = "/raw", produces = MediaType.TEXT_PLAIN_VALUE)\n  public String raw(@RequestParam String name) {\n    return "<b>" + name;\n  }\n}`, `class S extends HttpServlet { void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException { response.getWriter().println(Encode.forHtml(request.getParameter("q"))); } }`] },
    go: { pos: [`package m\nfunc writeFailure(w http.ResponseWriter, err error) {\n\tw.WriteHeader(http.StatusBadRequest)\n\tw.Write([]byte(fmt.Sprintf("request failed: %v", err)))\n}`, `package m\nfunc search(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "<b>%s</b>", getQueryParam(r, "q")) }`, `package m\nfunc renderNotice(w http.ResponseWriter, notice string) { io.WriteString(w, notice) }`, `package m\nfunc banner(w http.ResponseWriter, title string) { fmt.Fprintf(w, "<header>%s</header>", title) }`, `package m\n\nfunc hello(c *gin.Context) {\n	name := c.Query("name")\n	c.Data(200, "text/html; charset=utf-8", []byte("<p>"+name+"</p>"))\n}`, `package m\n\nfunc hello(c echo.Context) error {\n	return c.HTML(http.StatusOK, "<p>"+c.QueryParam("q")+"</p>")\n}`, `package m\n\nfunc create(w http.ResponseWriter, r *http.Request) {\n	name := r.URL.Query().Get("name")\n	if !valid.MatchString(name) {\n		http.Error(w, "invalid name: "+name, http.StatusBadRequest)\n		return\n	}\n}`, `package m\n\nimport (\n	"net/http"\n	"text/template"\n)\n\nvar page = template.Must(template.New("p").Parse("<p>{{.}}</p>"))\n\nfunc show(w http.ResponseWriter, r *http.Request) {\n	page.Execute(w, r.FormValue("q"))\n}`, `package m\n\nfunc show(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {\n	fmt.Fprintf(w, "<h1>%s</h1>", ps.ByName("name"))\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "<p>%s</p>", r.URL.Query().Get("q")) }`], neg: [`package m\nfunc writeFailure(w http.ResponseWriter, err error) {\n\tw.WriteHeader(http.StatusBadRequest)\n\tfmt.Fprintf(w, "request failed: %v", err)\n}`, `package m\nfunc echo(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set("Content-Type", "text/plain; charset=utf-8")\n\tw.Write([]byte(r.URL.Query().Get("q")))\n}`, `package m\nimport "text/template"\nfunc report(w io.Writer, data Summary) error {\n\tt := template.Must(template.New("r").Parse(reportTmpl))\n\treturn t.Execute(w, data)\n}`, `package m\nfunc show(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, renderCard(r.URL.Query().Get("id"))) }`, `package m\nfunc renderNotice(w http.ResponseWriter, notice string) {\n\tw.Header().Set("Content-Type", "text/plain; charset=utf-8")\n\tio.WriteString(w, notice)\n}`, `package m\nfunc status(w http.ResponseWriter, msg string) { fmt.Fprintf(w, "status: %s", msg) }`, `package m\nfunc banner(w http.ResponseWriter, title string) { fmt.Fprintf(w, "<header>%s</header>", html.EscapeString(title)) }`, `package m\n\nfunc hello(c *gin.Context) {\n	c.HTML(200, "hello.tmpl", gin.H{"name": c.Query("name")})\n	c.Data(200, "application/json", []byte(c.Query("name")))\n}`, `package m\n\nfunc create(w http.ResponseWriter, r *http.Request) {\n	name := r.URL.Query().Get("name")\n	if name == reservedA || name == reservedB {\n		http.Error(w, "reserved: "+name, http.StatusForbidden)\n		return\n	}\n	if !valid.MatchString(name) {\n		http.Error(w, "invalid name: "+html.EscapeString(name), http.StatusBadRequest)\n	}\n}`, `package m\n\nimport (\n	"html/template"\n	"net/http"\n)\n\nvar page = template.Must(template.New("p").Parse("<p>{{.}}</p>"))\n\nfunc show(w http.ResponseWriter, r *http.Request) {\n	page.Execute(w, r.FormValue("q"))\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "<p>%s</p>", html.EscapeString(r.URL.Query().Get("q"))) }`] },
    ruby: {
      pos: [`def show\n  "<p>#{params[:q]}</p>".html_safe\nend`, `require 'sinatra'\nget '/greet' do\n  name = params[:name]\n  "<h2>Welcome back, #{name}</h2>"\nend`, `require 'sinatra'\nget '/q' do\n  erb "<p>You searched for <%= params[:q] %></p>"\nend`, `def preview\n  render inline: "<div><%== params[:body] %></div>"\nend`, `def badge(label)\n  text = "#{label} (beta)"\n  "<span class='badge'>#{text}</span>".html_safe\nend`, `def comment_html\n  raw("<p>#{@comment.body}</p>")\nend`, `def boot_script\n  html = <<-HTML\n<script>window.state = #{state.to_json};</script>\n  HTML\n  html.html_safe\nend`, `def homepage_link\n  link_to "Homepage", params[:homepage]\nend`],
      neg: [`def profile_links\n  link_to "Profile", user_path(params[:id])\n  link_to "Docs", "/docs/#{params[:page]}"\nend`, `def badge(label)\n  text = "#{ERB::Util.html_escape(label)} (beta)"\n  "<span class='#{Settings.badge_css_class}'>#{text} #{beta_hint}</span>".html_safe\nend`, `def boot_script\n  json = state.to_json.gsub("<", "\\\\u003c")\n  "<script>window.state = #{json};</script>".html_safe\nend`, `def show\n  "<p>static</p>".html_safe\n  content_tag(:p, params[:q])\nend`, `require 'sinatra'\nget '/greet' do\n  "<h2>Welcome back, #{Rack::Utils.escape_html(params[:name])}</h2>"\nend`, `require 'sinatra'\nset :erb, escape_html: true\nget '/q' do\n  erb "<p>You searched for <%= params[:q] %></p>"\nend`, `def preview\n  render inline: "<div><%= params[:body] %></div>"\nend`],
    },
    php: {
      pos: [`<?php echo "Hello " . $_GET['name'];`, `<?php $q = $_GET['q']; ?>\n<p>Results for <?= $q ?></p>`, `<?php printf("<li>%s</li>", $_POST['item']);`, `<?php function greet() { $who = $_POST['who']; echo "<h3>Hi $who</h3>"; }`, `<?php class C { public function hi(Request $request) { return response('<p>Hello ' . $request->input('name') . '</p>'); } }`],
      neg: [`<?php echo "Hello " . htmlspecialchars($_GET['name'], ENT_QUOTES);`, `<?php function greet() { $who = htmlspecialchars($_POST['who'], ENT_QUOTES, 'UTF-8'); echo "<h3>Hi $who</h3>"; }`, `<?php class C { public function hi(Request $request) { return response()->json(['name' => $request->input('name')]); } }`, `<?php $q = $_GET['q']; ?>\n<p>Results for <?= htmlspecialchars($q, ENT_QUOTES) ?></p>`, `<?php printf("<li>%d</li>", intval($_POST['n']));`],
    },
    csharp: { pos: [`class C { void F(string bio) { var h = Html.Raw("<p>" + bio + "</p>"); } }`], neg: [`class C { void F(string bio) { var h = Html.Raw("<p>static</p>"); } }`] },
    c: {
      pos: [
        `int main(void) {\n  const char *q = getenv("QUERY_STRING");\n  printf("Content-Type: text/html\\r\\n\\r\\n");\n  printf("<h1>Results for %s</h1>\\n", q ? q : "");\n  return 0;\n}`,
        `void search(const httplib::Request &req, httplib::Response &res) {\n  res.set_content("<p>" + req.get_param_value("q") + "</p>", "text/html");\n}`,
      ],
      neg: [
        `int main(int argc, char **argv) {\n  if (argc < 2) { printf("Usage: %s <file>\\n", argv[0]); return 1; }\n  printf("<p>%s</p>\\n", argv[1]);\n  return 0;\n}`,
        `void search(const httplib::Request &req, httplib::Response &res) {\n  res.set_content(req.get_param_value("q"), "text/plain");\n}`,
      ],
    },
  },
  'path-traversal': {
    python: { pos: [`from flask import request, send_file\n@app.route("/f")\ndef f():\n    return send_file(os.path.join("/data", request.args["name"]))\n`, `import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(dest)\n`], neg: [`from flask import request, send_file\nfrom werkzeug.utils import secure_filename\n@app.route("/f")\ndef f():\n    return send_file(os.path.join("/data", secure_filename(request.args["name"])))\n`, `from flask import request\n@app.route("/f")\ndef f():\n    p = os.path.realpath(os.path.join(BASE, request.args["n"]))\n    if not p.startswith(BASE):\n        abort(403)\n    return open(p).read()\n`, `import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(dest, filter="data")\n`] },
    javascript: {
      pos: [`app.get('/page', (req, res) => { res.render(req.query.name, { user: req.user }); });`, `function unpack(zipPath, dest) { new AdmZip(zipPath).getEntries().forEach((entry) => { fs.writeFileSync(path.join(dest, entry.entryName), entry.getData()); }); }`, `http.createServer((req, res) => { const p = decodeURI(url.parse(req.url).pathname); serveFile(res, p); });`, `app.get('/assets/*', (req, res) => { res.sendFile(path.normalize(__dirname + '/..' + req.path)); });`, `Server.prototype.sendAsset = function (req, res, file) { fs.createReadStream(file).pipe(res); };`,
        `app.get('/f', (req, res) => { fs.readFile(path.join(__dirname, 'files', req.query.name), (e, d) => res.send(d)); });`,
        `function loadAttachment(uploadDir, fileName) { const full = path.resolve(uploadDir, fileName); return fs.readFileSync(full); }`,
        `app.post('/avatar', (req, res) => { const pic = req.files.avatar; pic.mv('./public/avatars/' + pic.name, () => res.sendStatus(201)); });`,
        `app.post('/doc', upload.single('doc'), (req, res) => { fs.renameSync(req.file.path, path.join('storage', req.file.originalname)); res.sendStatus(201); });`,
      ],
      neg: [`app.get('/avatars/:file', (req, res) => { res.sendFile(req.params.file, { root: AVATAR_DIR, dotfiles: 'deny' }); });`, `app.get('/page', (req, res) => { res.render('page', { name: req.query.name }); });`, `function unpack(zipPath, dest) { new AdmZip(zipPath).getEntries().forEach((entry) => { const out = path.resolve(dest, entry.entryName); if (!out.startsWith(path.resolve(dest) + path.sep)) return; fs.writeFileSync(out, entry.getData()); }); }`, `http.createServer((req, res) => { const p = path.normalize(decodeURI(url.parse(req.url).pathname)).replace(/^(\\.\\.[\\/\\\\])+/, ''); serveFile(res, p); });`, `app.get('/assets/*', (req, res) => { const clean = req.path.replace(/\\./g, ''); res.sendFile(path.normalize(__dirname + '/..' + clean)); });`, `function sendAsset(req, res, file) { if (file.split('/').includes('..')) return res.end(); fs.createReadStream(file).pipe(res); }`,
        `app.get('/f', (req, res) => { fs.readFile(path.join(__dirname, 'files', path.basename(req.query.name)), (e, d) => res.send(d)); });`,
        `function loadAttachment(uploadDir, fileName) { const full = path.resolve(uploadDir, fileName); if (!full.startsWith(path.resolve(uploadDir) + path.sep)) throw new Error('bad path'); return fs.readFileSync(full); }`,
        `function saveReport(outDir, name, body) { fs.writeFileSync(path.join(outDir, name), body); } function conf() { return fs.readFileSync(path.join(__dirname, 'config.json')); }`,
        `app.get('/doc/:name', (req, res) => { const p = path.join(DOCS, req.params.name); if (p.indexOf(DOCS) !== 0) return res.sendStatus(403); fs.createReadStream(p).pipe(res); });`,
        `app.post('/avatar', (req, res) => { const pic = req.files.avatar; pic.mv(path.join('./public/avatars', crypto.randomUUID() + '.png'), () => res.sendStatus(201)); });`,
        `app.post('/doc', upload.single('doc'), (req, res) => { fs.renameSync(req.file.path, path.join('storage', path.basename(req.file.originalname))); res.sendStatus(201); });`,
      ],
    },
    java: { pos: [`class Docs {\n  String read(String baseDir, String fileName) throws IOException {\n    return new String(Files.readAllBytes(Paths.get(baseDir, fileName)));\n  }\n}`, `class Store {\n  private final Path root;\n  InputStream open(String name) throws IOException {\n    return Files.newInputStream(root.resolve(name));\n  }\n}`, `class A { void f(HttpServletRequest request) throws Exception { File f = new File("/data/" + request.getParameter("file")); } }`, `class Z { void unzip(ZipInputStream zis, File dest) throws IOException { ZipEntry ze = zis.getNextEntry(); while (ze != null) { File out = new File(dest, ze.getName()); ze = zis.getNextEntry(); } } }`, `class Unpacker {\n  void unpack(ZipFile zip, ZipEntry entry, Path target) throws IOException {\n    if (entry.getName().startsWith("assets/")) {\n      Files.copy(zip.getInputStream(entry), target.resolve(entry.getName()));\n    }\n  }\n}`, `class Sandbox {\n  static boolean inside(File base, File candidate) throws IOException {\n    return candidate.getCanonicalPath().startsWith(base.getCanonicalPath());\n  }\n}`, `class Sandbox {\n  static File resolve(String root, String rel) throws IOException {\n    String rootPath = new File(root).getCanonicalPath();\n    File f = new File(root, rel);\n    if (!f.getCanonicalPath().startsWith(rootPath)) throw new IOException("outside");\n    return f;\n  }\n}`, `@PostMapping("/upload")\npublic String upload(@RequestParam("file") MultipartFile file) throws IOException {\n  file.transferTo(Paths.get("/srv/uploads").resolve(file.getOriginalFilename()));\n  return "ok";\n}`, `class Unzip {\n  void all(ZipFile zf, File dest) throws IOException {\n    for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements();) {\n      ZipEntry z = en.nextElement();\n      try (OutputStream o = new FileOutputStream(new File(dest, z.getName()))) { zf.getInputStream(z).transferTo(o); }\n    }\n  }\n}`], neg: [`class Unzip {\n  void all(ZipFile zf, File dest) throws IOException {\n    for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements();) {\n      ZipEntry z = en.nextElement();\n      File out = new File(dest, z.getName());\n      if (!out.toPath().normalize().startsWith(dest.toPath().normalize())) throw new IOException("zip slip");\n      try (OutputStream o = new FileOutputStream(out)) { zf.getInputStream(z).transferTo(o); }\n    }\n  }\n  String label(File f) { return new File("archive", f.getName()).getPath(); }\n}`, `@PostMapping("/upload")\npublic String upload(@RequestParam("file") MultipartFile file) throws IOException {\n  String name = Paths.get(file.getOriginalFilename()).getFileName().toString();\n  file.transferTo(Paths.get("/srv/uploads").resolve(name));\n  return "ok";\n}`, `class Unpacker {\n  void unpack(ZipFile zip, ZipEntry item, Path target) throws IOException {\n    Path out = target.resolve(item.getName()).normalize();\n    if (!out.startsWith(target)) throw new IOException("zip slip");\n    Files.copy(zip.getInputStream(item), out);\n  }\n}`, `class Sandbox {\n  static boolean inside(File base, File candidate) throws IOException {\n    return candidate.getCanonicalPath().startsWith(base.getCanonicalPath() + File.separator);\n  }\n  static boolean inside2(File base, File candidate) throws IOException {\n    String root = base.getCanonicalPath();\n    if (!root.endsWith(File.separator)) root = root + File.separator;\n    return candidate.getCanonicalPath().startsWith(root);\n  }\n  static boolean inside3(File base, File candidate) throws IOException {\n    return candidate.getCanonicalFile().toPath().startsWith(base.getCanonicalFile().toPath());\n  }\n}`, `class Docs {\n  String read(String baseDir, String fileName) throws IOException {\n    Path base = Paths.get(baseDir).toRealPath();\n    Path p = base.resolve(fileName).normalize();\n    if (!p.startsWith(base)) throw new SecurityException("outside");\n    return new String(Files.readAllBytes(p));\n  }\n}`, `class Out {\n  void save(File dir, String name, byte[] data) throws IOException {\n    try (OutputStream o = new FileOutputStream(new File(dir, name))) { o.write(data); }\n  }\n}`, `class A { void f(HttpServletRequest request) throws Exception { File f = new File("/data/", FilenameUtils.getName(request.getParameter("file"))); } }`, `class Z { void unzip(ZipInputStream zis, File dest) throws IOException { ZipEntry ze = zis.getNextEntry(); File out = new File(dest, ze.getName()); if (!out.getCanonicalPath().startsWith(dest.getCanonicalPath() + File.separator)) throw new IOException("bad entry"); } }`] },
    go: { pos: [`package m\nfunc loadTemplate(dir, name string) ([]byte, error) { return os.ReadFile(dir + "/" + name) }`, `package m\nfunc loadTemplate(dir, name string) ([]byte, error) { return ioutil.ReadFile(fmt.Sprintf("%s/%s", dir, name)) }`, `package m\n\nfunc readFromDir(dir, name string) string {\n	data, err := os.ReadFile(filepath.Join(dir, name))\n	if err != nil {\n		return ""\n	}\n	return string(data)\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { b, _ := os.ReadFile(filepath.Join("/data", r.URL.Query().Get("f"))); w.Write(b) }`, `package m\nfunc untar(tr *tar.Reader, dest string) {\n\tfor {\n\t\theader, err := tr.Next()\n\t\tif err != nil { return }\n\t\tout, _ := os.Create(filepath.Join(dest, header.Name))\n\t\t_ = out\n\t}\n}`], neg: [`package m\nfunc get(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Query().Get("f")\n\tif !filepath.IsLocal(name) {\n\t\thttp.Error(w, "bad name", 400)\n\t\treturn\n\t}\n\thttp.ServeFile(w, r, filepath.Join("/srv/files", name))\n}`, `package m\nfunc loadTemplate(dir, name string) ([]byte, error) { return os.ReadFile(dir + "/" + filepath.Base(name)) }`, `package m\nfunc saveUpload(dir, name string, b []byte) error { return os.WriteFile(dir+"/"+name, b, 0o600) }`, `package m\n\nfunc readFromDir(dir, name string) string {\n	p := filepath.Join(dir, name)\n	rel, err := filepath.Rel(dir, p)\n	if err != nil || strings.HasPrefix(rel, "..") {\n		return ""\n	}\n	data, _ := os.ReadFile(p)\n	return string(data)\n}`, `package m\n\nfunc save(dir, name string, b []byte) error {\n	return os.WriteFile(filepath.Join(dir, name), b, 0o600)\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { b, _ := os.ReadFile(filepath.Join("/data", filepath.Base(r.URL.Query().Get("f")))); w.Write(b) }`] },
    c: { pos: [`void download(const httplib::Request &req, httplib::Response &res) {\n  std::ifstream in("files/" + req.get_param_value("name"));\n}`, `char *load_doc(const char *docs_dir, const char *name) {\n  char path[512];\n  snprintf(path, sizeof path, "%s/%s", docs_dir, name);\n  FILE *f = fopen(path, "rb");\n  return f ? slurp(f) : NULL;\n}`, `std::string load(const std::string &root, const std::string &rel) {\n  std::string full = root + "/" + rel;\n  std::ifstream in(full);\n  std::stringstream ss; ss << in.rdbuf();\n  return ss.str();\n}`, `void unpack(struct archive *a, struct archive *out, const char *dest) {\n  struct archive_entry *e;\n  char full[4096];\n  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {\n    snprintf(full, sizeof full, "%s/%s", dest, archive_entry_pathname(e));\n    archive_entry_set_pathname(e, full);\n    archive_write_header(out, e);\n  }\n}`], neg: [`int main(int argc, char **argv) {\n  std::string path = argv[1];\n  std::ifstream in(path);\n  std::cout << in.rdbuf();\n}`, `int main(int argc, char **argv) { FILE *f = fopen(argv[1], "r"); }`, `int main(void) {\n  std::ifstream in("settings.ini");\n  std::cout << in.rdbuf();\n}`, `char *load_doc(const char *docs_dir, const char *name) {\n  char path[512], real[PATH_MAX], base[PATH_MAX];\n  snprintf(path, sizeof path, "%s/%s", docs_dir, name);\n  if (!realpath(path, real) || !realpath(docs_dir, base) || strncmp(real, base, strlen(base)) != 0) return NULL;\n  FILE *f = fopen(real, "rb");\n  return f ? slurp(f) : NULL;\n}`, `void save_note(const char *dir, const char *name, const char *text) {\n  char path[512];\n  snprintf(path, sizeof path, "%s/%s", dir, name);\n  FILE *f = fopen(path, "w");\n  if (f) { fputs(text, f); fclose(f); }\n}`, `int main(void) { FILE *f = fopen("/etc/app.conf", "r"); }`] },
    ruby: { pos: [`def download\n  send_file File.join("/data", params[:name])\nend`, `def destroy\n  FileUtils.rm_rf(File.join(UPLOAD_ROOT, params[:folder]))\nend`, `def listing\n  Dir.glob("#{params[:dir]}/*.log")\nend`], neg: [`def destroy\n  FileUtils.rm_rf(File.join(UPLOAD_ROOT, File.basename(params[:folder])))\n  Dir.glob(File.join(LOG_DIR, "*.log"))\nend`, `def download\n  send_file File.join("/data", File.basename(params[:name]))\nend`] },
    php: { pos: [`<?php include $_GET['page'] . ".php";`, `<?php echo file_get_contents("/data/" . $_GET['f']);`, `<?php require_once 'modules/' . $_REQUEST['mod'] . '.php';`, `<?php move_uploaded_file($_FILES['doc']['tmp_name'], "uploads/" . $_FILES['doc']['name']);`, `<?php class F { public function get(Request $request) { return response()->download(storage_path('exports/' . $request->query('file'))); } }`], neg: [`<?php class F { public function get(Request $request) { return response()->download(storage_path('exports/' . basename($request->query('file')))); } }`, `<?php move_uploaded_file($_FILES['doc']['tmp_name'], "uploads/" . bin2hex(random_bytes(8)) . ".pdf");`, `<?php echo file_get_contents("/data/" . basename($_GET['f']));`, `<?php $page = file_get_contents($_GET['url']);`] },
    csharp: { pos: [`class C { void F() { var t = File.ReadAllText(Path.Combine("/data", Request.Query["f"])); } }`], neg: [`class C { void F() { var t = File.ReadAllText(Path.Combine("/data", Path.GetFileName(Request.Query["f"]))); } }`] },
    rust: { pos: [`async fn file(req: HttpRequest) -> String { let name = req.match_info().get("name").unwrap(); std::fs::read_to_string(format!("/srv/files/{}", name)).unwrap() }`], neg: [`fn main() { let s = std::fs::read_to_string("config.toml"); }`, `fn main() { let p = std::env::args().nth(1).unwrap(); let s = std::fs::read_to_string(p); }`] },
  },
  xxe: {
    java: { pos: [`class Xml {\n  Document safe(InputStream in) throws Exception {\n    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\n    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);\n    return f.newDocumentBuilder().parse(in);\n  }\n  XMLStreamReader stax(InputStream in) throws Exception {\n    return XMLInputFactory.newInstance().createXMLStreamReader(in);\n  }\n}`, `class A { void f() throws Exception { DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); dbf.newDocumentBuilder().parse(in); } }`, `class Xml {\n  Document read(InputStream in) throws Exception {\n    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\n    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);\n    return f.newDocumentBuilder().parse(in);\n  }\n}`], neg: [`class Xml {\n  XMLStreamReader stax(InputStream in) throws Exception {\n    XMLInputFactory xif = XMLInputFactory.newInstance();\n    xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);\n    return xif.createXMLStreamReader(in);\n  }\n}`, `class A { void f() throws Exception { DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); } }`] },
    python: { pos: [`from lxml import etree\np = etree.XMLParser(resolve_entities=True)\n`], neg: [`from lxml import etree\np = etree.XMLParser(resolve_entities=False, no_network=True)\n`] },
    php: { pos: [`<?php $d = new DOMDocument(); $d->loadXML($x, LIBXML_NOENT);`], neg: [`<?php $d = new DOMDocument(); $d->loadXML($x, LIBXML_NONET);`] },
    csharp: { pos: [`class C { void F() { var s = new XmlReaderSettings(); s.DtdProcessing = DtdProcessing.Parse; } }`], neg: [`class C { void F() { var s = new XmlReaderSettings(); s.DtdProcessing = DtdProcessing.Prohibit; } }`] },
    c: { pos: [`void f(const char *b, int n) { xmlDocPtr d = xmlReadMemory(b, n, "x.xml", NULL, XML_PARSE_NOENT); }`], neg: [`void f(const char *b, int n) { xmlDocPtr d = xmlReadMemory(b, n, "x.xml", NULL, XML_PARSE_NONET); }`] },
    ruby: { pos: [`doc = Nokogiri::XML(xml) { |config| config.noent }`], neg: [`doc = Nokogiri::XML(xml) { |config| config.nonet }`] },
    javascript: { pos: [`app.post('/import', (req, res) => { const doc = libxmljs.parseXml(req.body.xml, { noent: true }); res.json(doc.root().name()); });`], neg: [`app.post('/import', (req, res) => { const doc = libxmljs.parseXml(req.body.xml, { noent: false, nonet: true }); res.json(doc.root().name()); });`] },
  },
  'c-dangerous-function': {
    c: { pos: [`#define HDR_MAX 256\nvoid cookie(char out[HDR_MAX], const char *v) {\n  out[0] = 0;\n  strncat(out, "Set-Cookie: ", HDR_MAX);\n  strncat(out, v, HDR_MAX);\n}`, `void take_line(char *out, char *line) {\n  strcpy(out, line);\n}`, `void keep_word(const char *word) {\n  char saved[24];\n  int i = 0;\n  while (word[i] != '\\0') {\n    saved[i] = word[i];\n    i++;\n  }\n  saved[i] = '\\0';\n  puts(saved);\n}`, `void remember(const char *word) {\n  char *last = calloc(32, sizeof(char));\n  if (!last) return;\n  strcpy(last, word);\n  free(last);\n}`, `void clear(void) {\n  int scores[10];\n  for (int i = 0; i <= 10; i++) scores[i] = 0;\n}`, `void name_copy(const char *src) {\n  char name[32];\n  strncpy(name, src, sizeof(name));\n  puts(name);\n}`, `void slurp(int fd, char *out) {\n  char buf[256];\n  ssize_t n = read(fd, buf, sizeof buf);\n  if (n < 0) return;\n  strcpy(out, buf);\n}`, `void copy_name(char *dest, size_t dest_size, const char *src, size_t src_size) {\n  strncpy(dest, src, src_size);\n  dest[dest_size - 1] = '\\0';\n}`, `void greet(char *buf, size_t buf_size, const char *user, size_t user_len) {\n  snprintf(buf, 8 + user_len + 1, "Hello, %s!", user);\n}`, `void show(unsigned v) {\n  char h[3];\n  sprintf(h, "%02X", v);\n  puts(h);\n}`, `#define COPY(d, s) strcpy(d, s)`, `void f(const char *msg, size_t n) { char buf[64]; memcpy(buf, msg, n); }`, `void f(void) { char b[16]; gets(b); }`, `void f(const char *s) { char b[16]; strcpy(b, s); }`, `char *dup(const char *s) { char *d = malloc(strlen(s)); strcpy(d, s); return d; }`, `void f(const char *s) { char b[16]; sprintf(b, "%s", s); }`, `void f(void) { char b[16]; scanf("%s", b); }`, `void label_for(char *out, int id) {\n  sprintf(out, "item-%d", id);\n}`], neg: [`#define HDR_MAX 256\nvoid cookie(char out[HDR_MAX], const char *v) {\n  out[0] = 0;\n  strncat(out, v, HDR_MAX - strlen(out) - 1);\n}`, `struct user { char name[32]; };\nint set_name(struct user *u, const char *name) {\n  if (strlen(name) >= sizeof(u->name)) return -1;\n  memcpy(u->name, name, strlen(name) + 1);\n  return 0;\n}`, `void take_line(char *out, char *line, int cap, int n) {\n  line[n < cap ? n : cap - 1] = '\\0';\n  strcpy(out, line);\n}`, `void keep_word(const char *word) {\n  char saved[24];\n  int i = 0;\n  while (word[i] != '\\0' && i < (int)sizeof saved - 1) {\n    saved[i] = word[i];\n    i++;\n  }\n  saved[i] = '\\0';\n  puts(saved);\n}`, `char *hex(const unsigned char *d, int n) {\n  char *s = malloc(n * 2 + 1);\n  if (!s) return NULL;\n  for (int i = 0; i < n; i++) sprintf(s + i * 2, "%02x", d[i]);\n  return s;\n}`, `void clear(void) {\n  int scores[10];\n  for (int i = 0; i < 10; i++) scores[i] = 0;\n}`, `void name_copy(const char *src) {\n  char name[32];\n  strncpy(name, src, sizeof(name) - 1);\n  name[sizeof(name) - 1] = '\\0';\n  puts(name);\n}`, `void slurp(int fd) {\n  char buf[256];\n  ssize_t n = read(fd, buf, sizeof buf - 1);\n  if (n < 0) return;\n  buf[n] = '\\0';\n  puts(buf);\n}`, `void copy_name(char *dest, size_t dest_size, const char *src) {\n  strncpy(dest, src, dest_size - 1);\n  dest[dest_size - 1] = '\\0';\n}`, `char *dup(const char *src, size_t src_len) {\n  char *d = malloc(src_len + 1);\n  if (!d) return NULL;\n  memcpy(d, src, src_len);\n  d[src_len] = 0;\n  return d;\n}`, `void show(unsigned char v) {\n  char h[16];\n  sprintf(h, "%02X", v);\n  puts(h);\n}`, `void f(const char *s) { char b[16]; snprintf(b, sizeof b, "%s", s); fgets(b, sizeof b, stdin); scanf("%15s", b); strcpy(b, "ok"); }`, `char *dup(const char *s) { char *d = malloc(strlen(s) + 1); strcpy(d, s); return d; }`, `void f(const char *msg, size_t n) { char buf[64]; if (n > sizeof buf) return; memcpy(buf, msg, n); memcpy(buf, msg, sizeof buf); }`] },
  },
  'c-alloc-size-overflow': {
    c: { pos: [`int main(void) {\n  int count;\n  scanf("%d", &count);\n  double *v = malloc(count * sizeof(double));\n  if (!v) return 1;\n  for (int i = 0; i < count; i++) v[i] = 0;\n  return 0;\n}`, `int merge(const struct list *src) {\n  bool seen[src->count];\n  memset(seen, 0, sizeof seen);\n  return 0;\n}`, `unsigned char *frame(const struct bmp_header *h) {\n  size_t bytes = h->width * h->height * 4;\n  return malloc(bytes);\n}`, `float *grid(size_t w, size_t h) { return new float[w * h]; }`, `void *zeroed(size_t n, size_t m) { return calloc(1, n * m); }`, `short *row(struct image *in) { return (short *)malloc(in->xsize * sizeof(short)); }`, `void *f(size_t n, size_t m) { return malloc(n * m); }`, `void *f(size_t n) { return malloc(n * sizeof(int)); }`, `double *samples(const struct wav_header *h) {\n  size_t frames = h->frames;\n  return (double *)malloc(frames * sizeof(double));\n}`], neg: [`#define MAX_DIM 4096u\nunsigned char *frame(unsigned w, unsigned h) {\n  if (w == 0 || h == 0 || w > MAX_DIM || h > MAX_DIM) return NULL;\n  size_t bytes = (size_t)w * h * 4;\n  return malloc(bytes);\n}`, `int main(void) {\n  int count;\n  if (scanf("%d", &count) != 1 || count <= 0 || count > 4096) return 1;\n  double *v = malloc(count * sizeof(double));\n  return v == NULL;\n}`, `int merge(const struct list *src) {\n  if (src->count > MAX_ITEMS) return -1;\n  bool seen[src->count];\n  memset(seen, 0, sizeof seen);\n  return 0;\n}`, `void fill(void) {\n  const int n = 64;\n  int cells[n];\n  cells[0] = 1;\n}`, `unsigned char *frame(size_t w, size_t h) {\n  if (w && h > SIZE_MAX / 4 / w) return NULL;\n  size_t bytes = w * h * 4;\n  return malloc(bytes);\n}`, `float *grid(size_t w) { return new float[w]; }`, `int *cells(void) { return new int[ROWS * COLS]; }`, `void *f(void) { return malloc(16 * sizeof(int)); }`, `void *f(size_t n) { return calloc(n, sizeof(int)); }`, `void *f(size_t n, size_t m) { if (m && n > SIZE_MAX / m) return NULL; return malloc(n * m); }`] },
  },
  'c-unchecked-allocation': {
    c: { pos: [`void f(size_t n) { char *p = malloc(n); p[0] = 0; }`], neg: [`void f(size_t n) { char *p = malloc(n); if (p == NULL) return; p[0] = 0; }`, `void f(size_t n) { char *p = malloc(n); if (!p) return; memset(p, 0, n); }`] },
  },
  'c-unchecked-index': {
    c: { pos: [`int main(void) {\n  int stock[8] = {0};\n  int slot;\n  if (scanf("%d", &slot) != 1) return 1;\n  printf("%d\\n", stock[slot]);\n  return 0;\n}`, `int price_at(const int *prices, const char *index_str) {\n  int idx = atoi(index_str);\n  return prices[idx];\n}`, `void rtrim(char *s) {\n  size_t n = strlen(s);\n  while (s[n - 1] == ' ') s[--n] = '\\0';\n}`, `void reset(long long *values, int from, int count) {\n  memset(values + from * sizeof(long long), 0, count * sizeof(long long));\n}`], neg: [`int main(void) {\n  int stock[8] = {0};\n  int slot;\n  if (scanf("%d", &slot) != 1 || slot < 0 || slot >= 8) return 1;\n  printf("%d\\n", stock[slot]);\n  return 0;\n}`, `int price_at(const int *prices, int size, const char *index_str) {\n  int idx = atoi(index_str);\n  if (idx < 0 || idx >= size) return -1;\n  return prices[idx];\n}`, `void rtrim(char *s) {\n  size_t n = strlen(s);\n  while (n > 0 && s[n - 1] == ' ') s[--n] = '\\0';\n}`, `void reset(long long *values, int from, int count) {\n  memset(values + from, 0, count * sizeof(long long));\n}\nvoid copy_at(unsigned char *buf, int i, const void *src) {\n  memcpy(buf + i * sizeof(int), src, sizeof(int));\n}`] },
  },
  'c-use-after-free': {
    c: { pos: [`int grow(struct buf *b, size_t n) {\n  b->data = realloc(b->data, n);\n  return b->data ? 0 : -1;\n}`, `void list_free(struct node *head) {\n  struct node *cur;\n  for (cur = head; cur != NULL; cur = cur->next)\n    free(cur);\n}`, `void audit(EventBus &bus, const std::string &who) {\n  std::string prefix = "[" + who + "] ";\n  bus.subscribe([&prefix](const std::string &e) { write_line(prefix + e); });\n}`, `void spin() {\n  int counter = 0;\n  std::thread t([&counter] { counter++; });\n  t.detach();\n}`, `std::string lookup(const std::string &k);\nstd::string_view host() {\n  std::string_view h = lookup("db.host");\n  return h;\n}`, `void follow(std::vector<Task> &tasks) {\n  for (auto it = tasks.begin(); it != tasks.end(); ++it)\n    if (it->priority > 8) tasks.push_back(Task{it->name, 1});\n}`, `void prune(std::vector<int> &v) {\n  for (auto &x : v) if (x < 0) v.erase(v.begin());\n}`, `void reset(void) {\n  char scratch[128];\n  strcpy(scratch, "tmp");\n  free(scratch);\n}`, `void show(int id) {\n  std::ostringstream ss;\n  ss << "item-" << id;\n  const char *label = ss.str().c_str();\n  puts(label);\n}`, `void redraw() {\n  Widget *w = new Widget();\n  delete w;\n  w->draw();\n}`, `void f(char *p) { free(p); p[0] = 'x'; }`, `void f(char *p) { free(p); free(p); }`], neg: [`int grow(struct buf *b, size_t n) {\n  char *tmp = realloc(b->data, n);\n  if (!tmp) return -1;\n  b->data = tmp;\n  return 0;\n}`, `void list_free(struct node *head) {\n  struct node *cur, *next;\n  for (cur = head; cur != NULL; cur = next) { next = cur->next; free(cur); }\n}`, `void audit(EventBus &bus, const std::string &who) {\n  std::string prefix = "[" + who + "] ";\n  bus.subscribe([prefix](const std::string &e) { write_line(prefix + e); });\n}`, `int sum(const std::vector<int> &v) {\n  int total = 0;\n  std::for_each(v.begin(), v.end(), [&total](int x) { total += x; });\n  return total;\n}`, `std::string_view tail(const std::string &s) {\n  std::string_view v = s;\n  return v.substr(1);\n}`, `void prune(std::vector<int> &v) {\n  for (auto it = v.begin(); it != v.end();) { if (*it < 0) it = v.erase(it); else ++it; }\n}`, `void once(std::vector<int> &v, int y) {\n  for (auto &x : v) { if (x == y) { v.push_back(y); break; } }\n}`, `void twice(const std::vector<int> &v, std::vector<int> &out) {\n  for (auto &x : v) out.push_back(x * 2);\n}`, `void reset(void) {\n  char *scratch = malloc(128);\n  if (!scratch) return;\n  strcpy(scratch, "tmp");\n  free(scratch);\n}`, `void show(int id) {\n  std::ostringstream ss;\n  ss << "item-" << id;\n  const std::string label = ss.str();\n  puts(label.c_str());\n}`, `void redraw() {\n  Widget *w = new Widget();\n  w->draw();\n  delete w;\n  w = nullptr;\n}`, `void f(char *p) { free(p); p = NULL; }`, `void f(char *p) { p[0] = 'x'; free(p); }`] },
  },
  'format-string': {
    c: { pos: [`int main(int argc, char **argv) { printf(argv[1]); }`, `void f(char *msg) { syslog(LOG_INFO, msg); }`], neg: [`int main(int argc, char **argv) { printf("%s", argv[1]); printf(FMT_CONST); }`] },
    python: { pos: [`from flask import request\ndef f():\n    tpl = request.args["t"]\n    return tpl.format(user=current_user)\n`], neg: [`def f(name):\n    return "Hello {}".format(name)\n`] },
  },
  ssrf: {
    python: { pos: [`import requests\nfrom flask import request\n@app.route("/p")\ndef p():\n    return requests.get(request.args["url"]).text\n`, `import requests\nresp = client.chat.completions.create(model="m", messages=m)\nurl = resp.choices[0].message.content\nrequests.get(url)\n`], neg: [`import ipaddress, socket, requests\nfrom flask import request\n@app.route("/p")\ndef p():\n    url = request.args["u"]\n    host = urlparse(url).hostname\n    if not ipaddress.ip_address(socket.gethostbyname(host)).is_global:\n        abort(400)\n    return requests.get(url, timeout=5).text\n`, `import requests\nfrom flask import request\nALLOWED_HOSTS = {"api.example.com"}\n@app.route("/p")\ndef p():\n    u = request.args["url"]\n    if urlparse(u).hostname not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(u).text\n`, `import requests\nrequests.get("https://api.example.com/v1")\n`] },
    javascript: { pos: [`function avatarUrl(host, user) {
  return \`https://\${host}.cdn.example.com/u/\${user}.png\`;
}`, `function profileEndpoint(baseUrl, userId) {
  return \`\${baseUrl}/\${userId}\`;
}`, `app.get('/p', async (req, res) => { const r = await fetch(req.query.url); res.send(await r.text()); });`, `export async function POST(request: Request) { const { callbackUrl } = await request.json(); await fetch(callbackUrl, { method: 'POST' }); return Response.json({ ok: true }); }`], neg: [`function profileEndpoint(baseUrl, userId) {
  if (!/^[A-Za-z0-9_-]+$/.test(userId)) return null;
  return \`\${baseUrl}/\${userId}\`;
}`, `function profileEndpoint(baseUrl, userId) {
  return \`\${baseUrl}/\${encodeURIComponent(userId)}\`;
}`, `const CDN = 'static';
function assetUrl() {
  return \`https://\${CDN}.example.com/app.js\`;
}`, `export async function POST(request: Request) { const { city } = await request.json(); const r = await fetch('https://api.weather.example/v1?city=' + encodeURIComponent(city)); return Response.json(await r.json()); }`, `app.get('/p', async (req, res) => { const r = await fetch('https://api.example.com/x?q=' + encodeURIComponent(req.query.q)); });`] },
    java: { pos: [`@RestController\nclass Proxy {\n  private final RestTemplate http = new RestTemplate();\n  @GetMapping("/p")\n  String p(@RequestParam String target) {\n    return http.getForObject(target, String.class);\n  }\n}`, `class A { void f(HttpServletRequest request) throws Exception { URL u = new URL(request.getParameter("url")); u.openConnection(); } }`, `@GetMapping("/probe")\npublic boolean probe(@RequestParam String host, @RequestParam int port) {\n  try (Socket s = new Socket()) {\n    s.connect(new InetSocketAddress(host, port), 500);\n    return true;\n  } catch (IOException e) {\n    return false;\n  }\n}`], neg: [`class C {\n  ResponseEntity<String> test(@RequestBody Map<String, String> body) {\n    URI target = URI.create(body.get("url"));\n    if (!"https".equals(target.getScheme()) || !isPublicHost(target.getHost())) {\n      return ResponseEntity.badRequest().build();\n    }\n    return restTemplate.postForEntity(target, Map.of(), String.class);\n  }\n}`, `class Health {\n  boolean up() {\n    try (Socket s = new Socket("localhost", 8080)) { return true; } catch (IOException e) { return false; }\n  }\n}`, `@RestController\nclass Proxy {\n  private final RestTemplate http = new RestTemplate();\n  @GetMapping("/p")\n  String p(@RequestParam String id) {\n    return http.getForObject("https://api.example.com/items/{id}", String.class, id);\n  }\n}`, `class A { void f() throws Exception { URL u = new URL("https://api.example.com"); } }`] },
    go: { pos: [`package m\nfunc isSafeSlug(s string) bool { return true }\nfunc profileURL(baseURL, slug string) string {\n\tif !isSafeSlug(slug) {\n\t\treturn ""\n\t}\n\treturn baseURL + "/" + slug\n}`, `package m\nfunc userURL(baseURL, id string) string { return baseURL + "/" + id }`, `package m\nfunc siteURL(tenant, domain string) url.URL { return url.URL{Scheme: "https", Host: tenant + "." + domain} }`, `package m\nfunc regionEndpoint(region string) string { return fmt.Sprintf("https://%s.api.example.com/v1", region) }`, `package m\nfunc avatarURL(baseURL, user string) string { return fmt.Sprintf("%s/%s", baseURL, user) }`, `package m\nfunc tenantURL(tenant, domain string) string { return "https://" + tenant + "." + domain }`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { resp, _ := http.Get(r.URL.Query().Get("url")); _ = resp }`], neg: [`package m\nvar client = &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Control: func(network, address string, _ syscall.RawConn) error {\n\thost, _, _ := net.SplitHostPort(address)\n\tif ip := net.ParseIP(host); ip == nil || ip.IsPrivate() || ip.IsLoopback() {\n\t\treturn errBlocked\n\t}\n\treturn nil\n}}).DialContext}}\nfunc fetch(w http.ResponseWriter, r *http.Request) {\n\treq, _ := http.NewRequest("GET", r.URL.Query().Get("url"), nil)\n\tclient.Do(req)\n}`, `package m\nconst apiBase = "https://api.example.com"\nfunc forecastURL(key, coord string) string { return apiBase + "/" + key + "/" + coord + "?units=si" }`, `package m\nfunc regionEndpoint(region string) string {\n\tif !regionRe.MatchString(region) {\n\t\treturn ""\n\t}\n\treturn fmt.Sprintf("https://%s.api.example.com/v1", region)\n}`, `package m\nfunc apiBase(host string) string { return fmt.Sprintf("https://%s/v1/%s", host, "items") }`, `package m\nfunc avatarURL(baseURL, user string) string { return fmt.Sprintf("%s/%s", baseURL, url.PathEscape(user)) }`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { resp, _ := http.Get("https://api.example.com/x"); _ = resp }`] },
    ruby: { pos: [`def fetch\n  Net::HTTP.get(URI(params[:url]))\nend`], neg: [`def update\n  target = URI.parse(params[:return_to].to_s)\n  redirect_to(target.host.nil? ? target.to_s : root_path)\nend`, `BLOCKED_RANGES = [IPAddr.new("10.0.0.0/8"), IPAddr.new("127.0.0.0/8")]\ndef fetch\n  uri = URI(params[:url])\n  ip = Resolv.getaddress(uri.host)\n  return head(:bad_request) if BLOCKED_RANGES.any? { |r| r.include?(ip) }\n  Net::HTTP.get(uri)\nend`, `def fetch\n  Net::HTTP.get(URI("https://api.example.com"))\nend`] },
    php: { pos: [`<?php $ch = curl_init($_GET['url']);`, `<?php $feedUrl = $_POST['feed_url']; $xml = file_get_contents($feedUrl);`], neg: [`<?php $ch = curl_init("https://api.example.com");`, `<?php $xml = file_get_contents("https://api.example.com/feed?q=" . urlencode($_GET['q'])); $t = file_get_contents("/data/" . basename($_GET['f']));`] },
    csharp: { pos: [`class C { async Task F(HttpClient client) { var s = await client.GetStringAsync(Request.Query["url"]); } }`], neg: [`class C { async Task F(HttpClient client) { var s = await client.GetStringAsync("https://api.example.com"); } }`] },
    c: {
      pos: [
        `int main(int argc, char **argv) {\n  CURL *h = curl_easy_init();\n  curl_easy_setopt(h, CURLOPT_URL, argv[1]);\n  return curl_easy_perform(h);\n}`,
        `char *tenant_url(const char *tenant, const char *zone) {\n  static char out[256];\n  snprintf(out, sizeof out, "https://%s.%s/", tenant, zone);\n  return out;\n}`,
        `std::string order_url(const std::string &service_url, const std::string &order_id) {\n  return service_url + "/orders/" + order_id;\n}`,
      ],
      neg: [
        `int main(void) {\n  CURL *h = curl_easy_init();\n  curl_easy_setopt(h, CURLOPT_URL, "https://status.example.org/ping");\n  return curl_easy_perform(h);\n}`,
        `char *tenant_url(const char *tenant, const char *zone) {\n  static char out[256];\n  for (const char *p = tenant; *p; ++p) if (!isalnum((unsigned char)*p) && *p != '-') return NULL;\n  snprintf(out, sizeof out, "https://%s.%s/", tenant, zone);\n  return out;\n}`,
        `std::string home_url(const std::string &zone) {\n  return "https://" + zone;\n}`,
        `std::string repo_url(const std::string &api_url, const std::string &repo) {\n  return api_url + "/" + repo;\n}\nint main() {\n  std::cout << repo_url("https://api.github.com/repos", "torvalds/linux") << std::endl;\n}`,
      ],
    },
  },
  'open-redirect': {
    python: { pos: [`from flask import request, redirect\n@app.route("/login")\ndef login():\n    return redirect(request.args.get("next"))\n`], neg: [`from flask import request, redirect\n@app.route("/login")\ndef login():\n    nxt = request.args.get("next", "/")\n    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.host}):\n        nxt = "/"\n    return redirect(nxt)\n`] },
    javascript: { pos: [`app.get('/go', (req, res) => { res.redirect(req.query.to); });`], neg: [`app.get('/go', (req, res) => { res.redirect('/home'); });`] },
    java: { pos: [`class A { void f(HttpServletRequest request, HttpServletResponse response) throws IOException { response.sendRedirect(request.getParameter("next")); } }`, `@Controller\nclass Auth {\n  @GetMapping("/done")\n  String done(@RequestParam String next) {\n    return "redirect:" + next;\n  }\n  @GetMapping("/out")\n  RedirectView out(@RequestParam String to) {\n    return new RedirectView(to);\n  }\n}`], neg: [`@Controller\nclass Auth {\n  @GetMapping("/done")\n  String done(@RequestParam String next) {\n    if (!next.startsWith("/")) next = "/";\n    return "redirect:" + next;\n  }\n  @GetMapping("/home")\n  String home() {\n    return "redirect:/dashboard";\n  }\n}`, `class A { void f(HttpServletResponse response) throws IOException { response.sendRedirect("/home"); } }`] },
    go: { pos: [`package m\nfunc h(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Query().Get("next"), 302) }`], neg: [`package m\n\nfunc follow(w http.ResponseWriter, r *http.Request) {\n	id := r.URL.Query().Get("id")\n	link, err := links.ByID(r.Context(), id)\n	if err != nil {\n		http.NotFound(w, r)\n		return\n	}\n	http.Redirect(w, r, link.Target, http.StatusFound)\n}`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/home", 302) }`] },
    ruby: { pos: [`def go\n  redirect_to params[:next]\nend`], neg: [`def go\n  redirect_to root_path\nend`] },
    php: { pos: [`<?php header("Location: " . $_GET['next']);`, `<?php class AuthController { public function after(Request $request) { return redirect()->to($request->input('return_to')); } }`], neg: [`<?php header("Location: /home");`, `<?php class AuthController { public function after(Request $request) { return redirect()->to('/dashboard'); } }`] },
    csharp: { pos: [`class C { IActionResult F() { return Redirect(Request.Query["next"]); } }`], neg: [`class C { IActionResult F(string next) { if (Url.IsLocalUrl(next)) return Redirect(next); return Redirect("/"); } }`] },
  },
  'incomplete-url-validation': {
    python: { pos: [`def ok(url):\n    return urlparse(url).hostname.endswith("example.com")\n`, `def ok(url):\n    return "example.com" in url\n`, `def ok(target, domain):\n    return urlparse(target).netloc.endswith(domain)\n`], neg: [`def ok(url):\n    h = urlparse(url).hostname\n    return h == "example.com" or h.endswith(".example.com")\n`, `def ok(target, domain):\n    host = urlparse(target).netloc\n    return host == domain or host.endswith("." + domain)\n`] },
    javascript: { pos: [`function allowed(u, domain) { return new URL(u).hostname.includes(domain); }`, `function ok(url) { return new URL(url).hostname.endsWith('example.com'); }`], neg: [`function allowed(u, allowedHosts) { return allowedHosts.includes(new URL(u).hostname); }`, `function allowed(u, domain) { const h = new URL(u).hostname; return h === domain || h.endsWith('.' + domain); }`, `function ok(url) { const h = new URL(url).hostname; return h === 'example.com' || h.endsWith('.example.com'); }`] },
    go: { pos: [`package m\nfunc allowedRedirect(target, domain string) bool { return strings.HasPrefix(target, "https://"+domain) }`, `package m\nfunc trusted(target, domain string) bool { return strings.Contains(target, domain) }`, `package m\nfunc allowed(targetHost, trustedDomain string) bool { return strings.Contains(targetHost, trustedDomain) }`, `package m\nfunc ok(host string) bool { return strings.HasSuffix(host, "example.com") }`], neg: [`package m\nfunc allowedRedirect(target, domain string) bool { return strings.HasPrefix(target, "https://"+domain+"/") }`, `package m\nfunc allowed(host, domain string) bool { return host == domain || strings.HasSuffix(host, "."+domain) }`, `package m\nfunc hasPort(host string) bool { return strings.Contains(host, ":") }`, `package m\nfunc ok(host string) bool { return host == "example.com" || strings.HasSuffix(host, ".example.com") }`] },
    java: { pos: [`class A { boolean ok(String host) { return host.endsWith("example.com"); } }`], neg: [`class A { boolean ok(String host) { return host.equals("example.com") || host.endsWith(".example.com"); } }`] },
    ruby: { pos: [`def ok(host)\n  host.end_with?("example.com")\nend`, `class User < ApplicationRecord\n  validates :username, format: { with: /^[a-z0-9_]+$/ }\nend`, `def safe_host?(h)\n  h =~ /^[a-z.]+\\.example\\.com$/\nend`], neg: [`def content_lines(lines)\n  lines.reject { |l| l =~ /^\\s*$/ }\nend`, `class User < ApplicationRecord\n  validates :username, format: { with: /\\A[a-z0-9_]+\\z/ }\nend`, `def lines(text)\n  text.scan(/^# (.+)$/)\nend`, `def ok(host)\n  host == "example.com" || host.end_with?(".example.com")\nend`] },
    c: {
      pos: [`int ok(const char *url) { return strstr(url, "example.com") != NULL; }`, `int trusted(const char *target_host, const char *allowed_domain) {\n  return strstr(target_host, allowed_domain) != NULL;\n}`, `bool trusted(const std::string &url, const std::string &domain) {\n  return url.find(domain) != std::string::npos;\n}`],
      neg: [`int ok(const char *host) { return strcmp(host, "example.com") == 0; }`, `int has_word(const char *line, const char *word) {\n  return strstr(line, word) != NULL;\n}`],
    },
  },
  'insecure-temp-file': {
    python: { pos: [`import tempfile\nname = tempfile.mktemp()\n`], neg: [`import tempfile\nfd, name = tempfile.mkstemp()\n`] },
    c: { pos: [`void f(void) { char *n = tmpnam(NULL); }`], neg: [`void f(void) { char t[] = "/tmp/xXXXXXX"; int fd = mkstemp(t); }`] },
    javascript: { pos: [`const name = tmp.tmpNameSync();`], neg: [`const f = tmp.fileSync();`] },
    php: { pos: [`<?php $f = tempnam("/tmp", "x");`], neg: [`<?php $f = tmpfile();`] },
  },
  'permissive-file-permissions': {
    python: { pos: [`import os\nos.chmod(path, 0o777)\n`, `import os\nos.umask(0)\n`], neg: [`import os\nos.chmod(path, 0o600)\nos.chmod(d, 0o755)\n`] },
    c: { pos: [`void store_private_key(const std::string &path, const std::string &pem) {\n  mode_t old = umask(022);\n  std::ofstream out(path);\n  out << pem;\n  umask(old);\n}`, `void save_secret_key(const char *path, const char *key) {\n  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR | S_IROTH);\n  write(fd, key, strlen(key));\n}`, `void f(const char *p) { mkdir(p, S_IRWXU | S_IRWXG | S_IRWXO); }`, `void f(const char *p) { chmod(p, 0777); }`], neg: [`void store_private_key(const std::string &path, const std::string &pem) {\n  mode_t old = umask(077);\n  std::ofstream out(path);\n  out << pem;\n  umask(old);\n}`, `void write_log(const char *path) { umask(022); FILE *f = fopen(path, "a"); fclose(f); }`, `void save_secret_key(const char *path, const char *key) {\n  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);\n  write(fd, key, strlen(key));\n}`, `void f(const char *p) { chmod(p, 0644); }`] },
    javascript: { pos: [`fs.chmodSync(p, 0o777);`], neg: [`fs.chmodSync(p, 0o644);`] },
    go: { pos: [`package m\nfunc savePrivateKey(path string, pemBytes []byte) error {\n\tf, err := os.Create(path)\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer f.Close()\n\t_, err = f.Write(pemBytes)\n\treturn err\n}`, `package m\nfunc f(b []byte) { os.WriteFile("out.txt", b, 0666) }`, `package m\nfunc save(p string, k *ecdsa.PrivateKey) error {\n\tder, _ := x509.MarshalECPrivateKey(k)\n\treturn os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o644)\n}`], neg: [`package m\nfunc saveReport(path string, b []byte) error {\n\tf, err := os.Create(path)\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer f.Close()\n\t_, err = f.Write(b)\n\treturn err\n}`, `package m\nfunc f(b []byte) { os.WriteFile("out.txt", b, 0600) }`, `package m\nfunc report(p string, html []byte) error { return os.WriteFile(p, html, 0o644) }`] },
    java: { pos: [`class A { void f(Path p) throws Exception { Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx")); } }`, `class Prefs { SharedPreferences open(Context ctx) { return ctx.getSharedPreferences("session", Context.MODE_WORLD_READABLE); } }`, `class Share {\n  void open(Path dir) throws IOException {\n    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OTHERS_WRITE);\n    Files.setPosixFilePermissions(dir, perms);\n  }\n}`], neg: [`class Audit {\n  boolean risky(Path p) throws IOException {\n    return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_WRITE);\n  }\n}`, `class A { void f(Path p) throws Exception { Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------")); } }`, `class Prefs { SharedPreferences open(Context ctx) { return ctx.getSharedPreferences("session", Context.MODE_PRIVATE); } }`] },
    ruby: { pos: [`File.chmod(0777, path)`, `def save(refresh_token:)\n  File.write(PATH, JSON.generate(refresh_token: refresh_token))\n  File.chmod(0o644, PATH)\nend`], neg: [`File.chmod(0600, path)`, `def publish(html)\n  File.write(PATH, html)\n  File.chmod(0o644, PATH)\nend`] },
    php: { pos: [`<?php chmod($f, 0777);`], neg: [`<?php chmod($f, 0640);`] },
  },
  'debug-enabled': {
    python: { pos: [`from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=True)\n`], neg: [`from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=False)\n`] },
    java: { pos: [`@EnableWebSecurity(debug = true)\nclass SecurityConfig {}`, `class App extends Application {\n  public void onCreate() {\n    super.onCreate();\n    WebView.setWebContentsDebuggingEnabled(true);\n  }\n}`], neg: [`class App extends Application {\n  public void onCreate() {\n    super.onCreate();\n    if (BuildConfig.DEBUG) { WebView.setWebContentsDebuggingEnabled(true); }\n  }\n}`, `@EnableWebSecurity\nclass SecurityConfig {}`] },
  },
  'error-details-exposed': {
    python: { pos: [`import traceback\n@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception:\n        return traceback.format_exc(), 500\n`, `@app.route("/y")\ndef y():\n    try:\n        work()\n    except Exception as e:\n        return jsonify({"error": str(e)}), 500\n`], neg: [`@app.route("/y")\ndef y():\n    try:\n        work()\n    except Exception as e:\n        log.exception("failed")\n        return jsonify({"error": "internal error"}), 500\n`] },
    javascript: { pos: [`app.get('/u', async (req, res) => { try { res.json(await load()); } catch (err) { res.status(500).json({ error: err }); } });`, `app.use((err, req, res, next) => { res.status(500).send(err.stack); });`], neg: [`app.get('/u', async (req, res) => { try { res.json(await load()); } catch (err) { log(err); res.status(500).json({ error: 'internal error' }); } });`, `app.use((err, req, res, next) => { console.error(err.stack); res.status(500).send('Internal error'); });`] },
    java: { pos: [`class A { void f(HttpServletResponse response, Exception e) throws IOException { e.printStackTrace(response.getWriter()); } }`, `class H {\n  @ExceptionHandler(Exception.class)\n  ResponseEntity<String> h(Exception ex) {\n    StringWriter trace = new StringWriter();\n    ex.printStackTrace(new PrintWriter(trace));\n    return ResponseEntity.status(500).body(trace.toString());\n  }\n}`], neg: [`class A { void f(Exception e) { e.printStackTrace(); } }`, `class H {\n  ResponseEntity<String> h(Exception ex) {\n    StringWriter trace = new StringWriter();\n    ex.printStackTrace(new PrintWriter(trace));\n    log.error(trace.toString());\n    return ResponseEntity.status(500).body("internal error");\n  }\n}`] },
    ruby: { pos: [`rescue_from StandardError do |e|\n  render json: { error: e.message, trace: e.backtrace }, status: 500\nend`], neg: [`rescue_from StandardError do |e|\n  Rails.logger.error(e.backtrace.join("\\n"))\n  render json: { error: "internal error" }, status: 500\nend`] },
    go: { pos: [`package m\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tdefer func() {\n\t\tif rec := recover(); rec != nil {\n\t\t\tw.Write(debug.Stack())\n\t\t}\n\t}()\n}`], neg: [`package m\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tdefer func() {\n\t\tif rec := recover(); rec != nil {\n\t\t\tlog.Printf("panic: %v\\n%s", rec, debug.Stack())\n\t\t\thttp.Error(w, "internal error", 500)\n\t\t}\n\t}()\n}`] },
  },
  'llm-code-execution-tool': {
    python: { pos: [`from langchain_experimental.tools import PythonREPLTool\ntools = [PythonREPLTool()]\n`, `agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)\n`], neg: [`from langchain.tools import DuckDuckGoSearchRun\ntools = [DuckDuckGoSearchRun()]\nagent = create_pandas_dataframe_agent(llm, df)\n`] },
    javascript: { pos: [`const agent = createAgent({ llm, allowDangerousCode: true });`], neg: [`const agent = createAgent({ llm, tools: [search] });`] },
  },
  'untrusted-input-in-system-prompt': {
    python: { pos: [`from flask import request\n@app.route("/chat")\ndef chat():\n    persona = request.json["persona"]\n    msgs = [{"role": "system", "content": f"You are {persona}"}, {"role": "user", "content": "hi"}]\n`], neg: [`from flask import request\n@app.route("/chat")\ndef chat():\n    q = request.json["q"]\n    msgs = [{"role": "system", "content": "You are a helpful assistant"}, {"role": "user", "content": q}]\n`] },
    javascript: { pos: [`app.post('/chat', (req, res) => { const messages = [{ role: 'system', content: 'You are ' + req.body.persona }]; });`], neg: [`app.post('/chat', (req, res) => { const messages = [{ role: 'system', content: 'You help.' }, { role: 'user', content: req.body.q }]; });`] },
  },
  'cors-wildcard-credentials': {
    python: { pos: [`from flask_cors import CORS\nCORS(app, supports_credentials=True)\n`], neg: [`from flask_cors import CORS\nCORS(app, origins=["https://app.example.com"], supports_credentials=True)\n`] },
    javascript: { pos: [`app.use(cors({ origin: true, credentials: true }));`], neg: [`app.use(cors({ origin: 'https://app.example.com', credentials: true }));`] },
    java: { pos: [`@CrossOrigin(origins = "*", allowCredentials = "true")\nclass C {}`], neg: [`@CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")\nclass C {}`] },
    go: { pos: [`package m\nvar c = cors.Config{AllowAllOrigins: true, AllowCredentials: true}`], neg: [`package m\nvar c = cors.Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true}`] },
  },
  'jwt-unverified': {
    python: { pos: [`import jwt\nclaims = jwt.decode(token, options={"verify_signature": False})\n`], neg: [`import jwt\nclaims = jwt.decode(token, key, algorithms=["HS256"])\n`] },
    javascript: { pos: [`const jwt = require('jsonwebtoken'); function user(t) { return jwt.decode(t).sub; }`], neg: [`const jwt = require('jsonwebtoken'); function user(t) { return jwt.verify(t, KEY, { algorithms: ['HS256'] }).sub; }`] },
    java: { pos: [`class A { String f(String t) { return JWT.decode(t).getSubject(); } }`], neg: [`class A { String f(String t) { return JWT.require(alg).build().verify(t).getSubject(); } }`] },
    go: { pos: [`package m\nfunc subject(s string, key []byte) string {\n\ttok, _ := jwt.Parse(s, func(t *jwt.Token) (any, error) { return key, nil })\n\tclaims, _ := tok.Claims.(jwt.MapClaims)\n\treturn claims["sub"].(string)\n}`, `package m\nfunc f(t string) { tok, _, _ := parser.ParseUnverified(t, jwt.MapClaims{}); _ = tok }`], neg: [`package m\nfunc subject(s string, key []byte) (string, error) {\n\ttok, err := jwt.Parse(s, func(t *jwt.Token) (any, error) { return key, nil })\n\tif err != nil || !tok.Valid {\n\t\treturn "", err\n\t}\n\tclaims, _ := tok.Claims.(jwt.MapClaims)\n\treturn claims["sub"].(string), nil\n}`, `package m\nfunc f(t string) { tok, _ := jwt.Parse(t, keyFunc); _ = tok }`] },
    ruby: { pos: [`payload = JWT.decode(token, nil, false)`], neg: [`payload = JWT.decode(token, KEY, true, { algorithm: "HS256" })`] },
    c: {
      pos: [
        `const char *subject_of(const char *token) {\n  jwt_t *t = NULL;\n  if (jwt_decode(&t, token, NULL, 0) != 0) return NULL;\n  return jwt_get_grant(t, "sub");\n}`,
        `std::string subject_of(const std::string &token) {\n  auto decoded = jwt::decode(token);\n  return decoded.get_subject();\n}`,
        `int sig_ok(EVP_MD_CTX *md, const unsigned char *sig, size_t len) {\n  if (EVP_DigestVerifyFinal(md, sig, len)) return 1;\n  return 0;\n}`,
        `void check(EVP_MD_CTX *md, const unsigned char *sig, unsigned int len, EVP_PKEY *pk) {\n  EVP_VerifyFinal(md, sig, len, pk);\n}`,
      ],
      neg: [
        `const char *subject_of(const char *token, const unsigned char *key, int key_len) {\n  jwt_t *t = NULL;\n  if (jwt_decode(&t, token, key, key_len) != 0) return NULL;\n  return jwt_get_grant(t, "sub");\n}`,
        `std::string subject_of(const std::string &token, const std::string &secret) {\n  auto decoded = jwt::decode(token);\n  jwt::verify().allow_algorithm(jwt::algorithm::hs256{secret}).verify(decoded);\n  return decoded.get_subject();\n}`,
        `int sig_ok(EVP_MD_CTX *md, const unsigned char *sig, size_t len) {\n  return EVP_DigestVerifyFinal(md, sig, len) == 1;\n}`,
      ],
    },
    csharp: { pos: [`class C { void F() { var p = new TokenValidationParameters { ValidateIssuerSigningKey = false }; } }`], neg: [`class C { void F() { var p = new TokenValidationParameters { ValidateIssuerSigningKey = true }; } }`] },
  },
  'log-injection': {
    c: {
      pos: [
        `void audit_login(const char *user) {\n  syslog(LOG_NOTICE, "login ok for %s", user);\n}`,
        `char *access_line(const char *path) {\n  char *log_line = malloc(512);\n  if (!log_line) return NULL;\n  snprintf(log_line, 512, "GET %s", path);\n  return log_line;\n}`,
        `void note(std::ofstream &logfile, const std::string &comment) {\n  logfile << "comment: " << comment << "\\n";\n}`,
      ],
      neg: [
        `void audit_login(int uid) {\n  syslog(LOG_NOTICE, "login ok for uid %d", uid);\n}`,
        `void audit_login(const char *user) {\n  char clean[64];\n  size_t i = 0;\n  for (; user[i] && i < sizeof clean - 1; i++) clean[i] = (user[i] == '\\r' || user[i] == '\\n') ? '_' : user[i];\n  clean[i] = 0;\n  syslog(LOG_NOTICE, "login ok for %s", clean);\n}`,
        `void greet(const char *user) {\n  printf("Hello, %s\\n", user);\n}`,
        `class Journal {\n public:\n  void note(const std::string &msg) { logfile << "[note] " << msg << std::endl; }\n  std::ofstream logfile;\n};\nint main() {\n  Journal j;\n  j.note("service started");\n  j.note("service stopped");\n}`,
      ],
    },
    go: {
      pos: [
        `package m\nfunc search(w http.ResponseWriter, r *http.Request) {\n\tlog.Printf("search for %s", r.URL.Query().Get("q"))\n}`,
        `package m\nfunc accessLine(user, path string) string {\n\tlogLine := fmt.Sprintf("%s GET %s", user, path)\n\treturn logLine\n}`,
        `package m\nfunc formatAuditLog(action string) string {\n\treturn "[audit] " + action\n}`,
      ],
      neg: [`package m\nimport "log/slog"\nfunc mw(logger *slog.Logger, next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tlogger.Info("request", "path", r.URL.Path, "ua", r.UserAgent())\n\t\tnext.ServeHTTP(w, r)\n\t})\n}`, `package m\nfunc upload(w http.ResponseWriter, r *http.Request) {\n\tinfo, err := store.Put(r.FormValue("name"), r.Body)\n\tif err != nil { return }\n\tlog.Printf("stored object %s", info.ETag)\n}`,
        `package m\nfunc search(w http.ResponseWriter, r *http.Request) {\n\tlog.Printf("search for %q", r.URL.Query().Get("q"))\n}`,
        `package m\nfunc accessLine(user, path string) string {\n\tpath = strings.NewReplacer("\\n", " ", "\\r", " ").Replace(path)\n\tlogLine := fmt.Sprintf("%d GET %s", len(user), path)\n\treturn logLine\n}`,
        `package m\nfunc greet(name string) { log.Printf("hello %s", name) }`,
        `package m\nfunc Login(user string) string { return "welcome " + user }`,
      ],
    },
    javascript: { pos: [`function formatAccessLog(user, path) {
  return \`\${new Date().toISOString()} \${user} GET \${path}\`;
}`, `function record(action) {
  const logLine = \`[audit] \${action}\`;
  fs.appendFileSync('audit.log', logLine + '\\n');
}`], neg: [`function formatAccessLog(user, path) {
  const clean = path.replace(/[\\r\\n]/g, ' ');
  return \`\${new Date().toISOString()} GET \${clean}\`;
}`, `function greeting(name) {
  return \`Hello \${name}\`;
}`, `function formatAccessLog(entry) {
  return \`\${entry.time} GET \${JSON.stringify(entry.path)}\`;
}`] },
  },
  'cpp-auto-ptr': {
    c: {
      pos: [`void load() {\n  std::auto_ptr<Config> cfg(new Config());\n  cfg->read();\n}`, `void load(size_t n) {\n  std::auto_ptr<char> buf(new char[n]);\n}`],
      neg: [`void load() {\n  std::unique_ptr<Config> cfg(new Config());\n  cfg->read();\n}`],
    },
  },
  'privilege-drop': {
    c: {
      pos: [`void become_nobody(uid_t uid) {\n  setuid(uid);\n}`, `void drop_root(uid_t uid, gid_t gid) {\n  if (setuid(uid) != 0) exit(1);\n  if (setgid(gid) != 0) exit(1);\n}`, `void enter_jail(const char *dir) {\n  if (chroot(dir) != 0) exit(1);\n}`],
      neg: [`void drop_root(uid_t uid, gid_t gid) {\n  if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) exit(1);\n}`, `void enter_jail(const char *dir) {\n  if (chroot(dir) != 0 || chdir("/") != 0) exit(1);\n}`],
    },
  },
  'toctou-race': {
    c: {
      pos: [`int append_note(const char *path, const char *note) {\n  if (access(path, W_OK) != 0) return -1;\n  FILE *f = fopen(path, "a");\n  if (!f) return -1;\n  fputs(note, f);\n  return fclose(f);\n}`],
      neg: [`long file_size(const char *path) {\n  struct stat st;\n  if (stat(path, &st) != 0) return -1;\n  return (long)st.st_size;\n}`, `int append_note(const char *path, const char *note) {\n  int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW);\n  if (fd < 0) return -1;\n  struct stat st;\n  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { close(fd); return -1; }\n  write(fd, note, strlen(note));\n  return close(fd);\n}`],
    },
  },
  'timing-unsafe-compare': {
    python: { pos: [`def check(req_sig, body):\n    expected_signature = hmac.new(K, body, "sha256").hexdigest()\n    return req_sig == expected_signature\n`], neg: [`import hmac\ndef check(req_sig, expected_signature):\n    return hmac.compare_digest(req_sig, expected_signature)\n`, `def f(token):\n    return token == None\n`] },
    javascript: { pos: [`function login(user, pw) { return sha256(user.salt + pw) === user.hashed_password; }`, `function ok(req) { return req.headers['x-token'] === apiToken; }`], neg: [`async function login(user, pw) { if (user.hashedPassword === undefined) return false; return bcrypt.compare(pw, user.hashedPassword); }`, `function ok(a, apiToken) { return crypto.timingSafeEqual(Buffer.from(a), Buffer.from(apiToken)); }`] },
    go: { pos: [`package m\nfunc ok(got, wantToken string) bool { return got == wantToken }`, `package m\nfunc verify(r *http.Request, body []byte, key []byte) bool {\n\tm := hmac.New(sha256.New, key)\n\tm.Write(body)\n\twant := hex.EncodeToString(m.Sum(nil))\n\treturn r.Header.Get("X-Hub-Signature") == want\n}`], neg: [`package m\nfunc ok(got, wantToken string) bool { return subtle.ConstantTimeCompare([]byte(got), []byte(wantToken)) == 1 }`] },
    ruby: { pos: [`def ok?(given)\n  given == @api_token\nend`, `def valid?(body)\n  want = OpenSSL::HMAC.hexdigest("SHA256", ENV["K"], body)\n  request.headers["X-Signature"] == want\nend`], neg: [`def ok?(given)\n  ActiveSupport::SecurityUtils.secure_compare(given, @api_token)\nend`] },
    php: { pos: [`<?php if ($given == $expected_hmac) { ok(); }`], neg: [`<?php if (hash_equals($expected_hmac, $given)) { ok(); }`] },
    csharp: { pos: [`class C { bool Ok(string given, string apiToken) { return given == apiToken; } }`], neg: [`class C { bool Ok(byte[] a, byte[] apiToken) { return CryptographicOperations.FixedTimeEquals(a, apiToken); } }`] },
    java: { pos: [`class A { boolean ok(String given, String expectedSignature) { return given.equals(expectedSignature); } }`, `class A { boolean ok(String body, String signatureHex) throws Exception { String want = hex(mac.doFinal(body.getBytes())); return want.equals(signatureHex); } }`], neg: [`class A { boolean ok(byte[] a, byte[] expectedSignature) { return MessageDigest.isEqual(a, expectedSignature); } }`] },
    c: { pos: [`int ok(const char *given, const char *secret) { return strcmp(given, secret) == 0; }`, `bool ok(const std::string& presentedToken) const { return presentedToken == expected_; }`], neg: [`int ok(const char *given) { return strcmp(given, "help") == 0; }`, `int login(const char *pass, const char *stored_hash) {\n  const char *computed = crypt(pass, stored_hash);\n  return computed && strcmp(computed, stored_hash) == 0;\n}`, `bool empty(const std::string& token) { return token == ""; }`] },
  },
  'csrf-disabled': {
    java: { pos: [`class S { void c(HttpSecurity http) throws Exception { http.csrf().disable(); } }`], neg: [`class S { void c(HttpSecurity http) throws Exception { http.csrf(Customizer.withDefaults()); } }`] },
    python: { pos: [`from django.views.decorators.csrf import csrf_exempt\n@csrf_exempt\ndef view(request):\n    pass\n`], neg: [`def view(request):\n    pass\n`] },
    ruby: { pos: [`class ApiController < ApplicationController\n  skip_before_action :verify_authenticity_token\nend`], neg: [`class ApiController < ApplicationController\n  before_action :authenticate_user!\nend`] },
    csharp: { pos: [`[IgnoreAntiforgeryToken]\npublic class C : Controller {}`], neg: [`[ValidateAntiForgeryToken]\npublic class C : Controller {}`] },
    javascript: { pos: [`const session = require('express-session');
app.use(session({ secret: process.env.SESSION_SECRET }));
app.post('/transfer', (req, res) => { move(req.session.user, req.body.to, req.body.amount); res.redirect('/'); });`], neg: [`const session = require('express-session');
const csrf = require('csurf');
app.use(session({ secret: process.env.SESSION_SECRET }));
app.use(csrf());
app.post('/transfer', (req, res) => { move(req.session.user, req.body.to); });`, `app.post('/api/items', requireBearer, (req, res) => { res.json(create(req.body)); });`] },
  },
  'insecure-cookie': {
    python: { pos: [`resp.set_cookie("session_id", sid)\n`, `resp.set_cookie("pref", v, secure=False)\n`], neg: [`resp.set_cookie("session_id", sid, secure=True, httponly=True, samesite="Lax")\n`] },
    javascript: { pos: [`res.cookie('token', t, { httpOnly: false });`], neg: [`res.cookie('token', t, { httpOnly: true, secure: true, sameSite: 'lax' });`] },
    java: { pos: [`class A { void f(HttpServletResponse r, String v) { Cookie c = new Cookie("sessionId", v); r.addCookie(c); } }`], neg: [`class A { void f(HttpServletResponse r, String v) { Cookie c = new Cookie("sessionId", v); c.setSecure(true); c.setHttpOnly(true); r.addCookie(c); } }`] },
  },
  'header-injection': {
    python: { pos: [`from flask import request, make_response\n@app.route("/x")\ndef x():\n    r = make_response("ok")\n    r.headers["X-Name"] = request.args["n"]\n    return r\n`], neg: [`from flask import request, make_response\n@app.route("/x")\ndef x():\n    r = make_response("ok")\n    r.headers["X-Name"] = "static"\n    return r\n`] },
    javascript: { pos: [`function withLocale(headers, lang) { headers['Content-Language'] = lang; return headers; }`, `app.get('/', (req, res) => { res.setHeader('X-User', req.query.u); });`], neg: [`function withLocale(headers, lang) { if (/[\\r\\n]/.test(lang)) throw new Error('bad header'); headers['Content-Language'] = lang; return headers; }`, `app.get('/', (req, res) => { res.setHeader('X-User', 'anonymous'); });`] },
    java: { pos: [`class A { void f(HttpServletRequest request, HttpServletResponse response) { response.setHeader("X-User", request.getParameter("u")); } }`], neg: [`class A { void f(HttpServletResponse response) { response.setHeader("X-User", "anon"); } }`] },
    go: { pos: [`package m\nfunc withTrace(headers map[string]string, traceID string) { headers["X-Trace-Id"] = traceID }`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-User", r.URL.Query().Get("u")) }`], neg: [`package m\nvar langRe = regexp.MustCompile("^[a-zA-Z-]{2,16}$")\nfunc withLang(headers map[string]string, lang string) {\n\tif !langRe.MatchString(lang) {\n\t\treturn\n\t}\n\theaders["Accept-Language"] = lang\n}`, `package m\nfunc proxy(w http.ResponseWriter, r *http.Request) {\n\tresp, err := client.Do(upstreamRequest(r.Body))\n\tif err != nil { return }\n\tfor k, vs := range resp.Header {\n\t\tfor _, v := range vs {\n\t\t\tw.Header().Add(k, v)\n\t\t}\n\t}\n}`, `package m\nfunc withTrace(headers map[string]string, traceID string) {\n\theaders["X-Trace-Id"] = strings.NewReplacer("\\r", "", "\\n", "").Replace(traceID)\n}`, `package m\nfunc withJSON(headers map[string]string) { headers["Accept"] = "application/json" }`, `package m\nfunc h(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-User", "anon") }`] },
    php: { pos: [`<?php header("X-User: " . $_GET['u']);`], neg: [`<?php header("X-User: anon");`] },
    csharp: { pos: [`class C { void F() { Response.Headers.Add("X-User", Request.Query["u"]); } }`], neg: [`class C { void F() { Response.Headers.Add("X-User", "anon"); } }`] },
    ruby: { pos: [`def f\n  response.headers["X-User"] = params[:u]\nend`], neg: [`def f\n  response.headers["X-User"] = "anon"\nend`] },
    c: {
      pos: [
        `void set_language(std::map<std::string, std::string> &headers, const std::string &lang) {\n  std::string value = lang;\n  headers["Content-Language"] = value;\n}`,
        `int reply(struct MHD_Connection *conn, const char *user) {\n  struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);\n  MHD_add_response_header(r, "X-User", user);\n  return MHD_queue_response(conn, 200, r);\n}`,
        `void greet(const httplib::Request &req, httplib::Response &res) {\n  res.set_header("X-Greeting", req.get_param_value("name"));\n}`,
      ],
      neg: [
        `void set_language(std::map<std::string, std::string> &headers, const std::string &lang) {\n  if (lang.find_first_of("\\r\\n") != std::string::npos) return;\n  headers["Content-Language"] = lang;\n}`,
        `void no_cache(httplib::Response &res) {\n  res.set_header("Cache-Control", "no-store");\n}`,
      ],
    },
  },
  'regex-dos': {
    python: { pos: [`import re\nEMAIL = re.compile(r"^([a-zA-Z0-9]+)*@example\\.com$")\n`, `import re\nfrom flask import request\ndef s():\n    re.search(request.args["q"], text)\n`], neg: [`import re\nEMAIL = re.compile(r"^[a-z0-9]+@example\\.com$")\n`] },
    javascript: { pos: [`function matches(text, pattern) { return new RegExp(pattern, 'i').test(text); }`, `const re = /^(\\w+\\s?)*$/;`, `app.get('/', (req, res) => { new RegExp(req.query.q).test(s); });`], neg: [`function matches(text, word) { const esc = word.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&'); return new RegExp('\\\\b' + esc).test(text); }`, `function matches(text, pattern) { return new RegExp(escapeStringRegexp(pattern), 'i').test(text); }`, `const re = /^\\w+$/;`, `app.get('/', (req, res) => { new RegExp("^" + _.escapeRegExp(req.query.q) + "$"); });`] },
    java: { pos: [`class A { Pattern p = Pattern.compile("(a+)+b"); }`], neg: [`class A { Pattern p = Pattern.compile("a+b"); }`] },
    ruby: { pos: [`RE = /^(a+)+$/`], neg: [`RE = /\\Aa+\\z/`] },
    php: { pos: [`<?php preg_match("/^(a+)+$/", $s);`], neg: [`<?php preg_match("/^a+$/", $s);`] },
    csharp: { pos: [`class C { Regex r = new Regex("^(\\\\d+)*$"); }`], neg: [`class C { Regex r = new Regex("^\\\\d+$"); }`] },
    c: {
      pos: [`bool grep_line(const std::string &expr, const std::string &line) {\n  std::regex re(expr);\n  return std::regex_search(line, re);\n}\nint main(int argc, char **argv) {\n  std::string expr = argv[1];\n  return grep_line(expr, "some text") ? 0 : 1;\n}`, `bool is_slug(const std::string &s) {\n  static const std::regex slug(R"(^([a-z0-9]+-?)+$)");\n  return std::regex_match(s, slug);\n}`],
      neg: [`bool is_slug(const std::string &s) {\n  static const std::regex slug(R"(^[a-z0-9][a-z0-9-]{0,62}$)");\n  return std::regex_match(s, slug);\n}`, `bool grep_line(const std::string &expr, const std::string &line) {\n  std::regex re(expr);\n  return std::regex_search(line, re);\n}\nint main(void) {\n  return grep_line("^ERROR", "ERROR: disk full") ? 0 : 1;\n}`],
    },
  },
  'xpath-injection': {
    python: { pos: [`def find(root, user):\n    return root.xpath("//user[@name='" + user + "']")\n`], neg: [`def find(root, user):\n    return root.xpath("//user[@name=$n]", n=user)\n`] },
    java: { pos: [`class A { Object f(XPath xp, String u, Document d) throws Exception { return xp.evaluate("//user[@name='" + u + "']", d); } }`], neg: [`class A { Object f(XPath xp, Document d) throws Exception { return xp.evaluate("//user[@name='admin']", d); } }`] },
    javascript: { pos: [`function f(doc, u) { return xpath.select("//user[@name='" + u + "']", doc); }`], neg: [`function f(doc) { return xpath.select("//user", doc); }`] },
    csharp: { pos: [`class C { void F(XmlDocument d, string u) { d.SelectNodes("//user[@name='" + u + "']"); } }`], neg: [`class C { void F(XmlDocument d) { d.SelectNodes("//user"); } }`] },
    php: { pos: [`<?php $r = $xp->query("//user[@name='" . $_GET['u'] . "']");`], neg: [`<?php $r = $xp->query("//user");`] },
    ruby: { pos: [`def f(doc, u)\n  doc.xpath("//user[@name='#{u}']")\nend`], neg: [`def f(doc)\n  doc.xpath("//user")\nend`] },
    go: { pos: [`package m\nfunc byName(doc *etree.Document, name string) *etree.Element { return doc.FindElement("//user[name='" + name + "']") }`, `package m\nfunc byTitle(title string) (goxpath.XPathExec, error) { return goxpath.Parse("//book[title='" + title + "']") }`, `package m\nfunc f(doc *xmlquery.Node, u string) { xmlquery.Find(doc, "//user[@name='"+u+"']") }`], neg: [`package m\nfunc users(doc *etree.Document) []*etree.Element { return doc.FindElements("//users/user") }`, `package m\nvar byTitle = goxpath.MustParse("//book[title=$t]")`, `package m\nfunc f(doc *xmlquery.Node) { xmlquery.Find(doc, "//user") }`] },
    c: { pos: [`void f(xmlXPathContextPtr ctx, const char *u) { char q[256]; sprintf(q, "//user[@name='%s']", u); xmlXPathEvalExpression((xmlChar *)q, ctx); }`, `void f(xmlXPathContextPtr ctx, const std::string &u) { std::string q = "//user[@name='" + u + "']"; xmlXPathEvalExpression((xmlChar *)q.c_str(), ctx); }`], neg: [`void f(xmlXPathContextPtr ctx) { xmlXPathEvalExpression((xmlChar *)"//user", ctx); }`] },
  },
  'sensitive-data-logged': {
    python: { pos: [`import logging\ndef login(user, password):\n    logging.info("login %s %s", user, password)\n`], neg: [`import logging\ndef login(user, password):\n    logging.info("login attempt for %s", user)\n    logging.warning("Invalid password")\n`] },
    javascript: { pos: [`function login(u, password) { console.log('login', u, password); }`], neg: [`function login(u, password) { console.log('login', u); console.log(create_private_key()); }`] },
    java: { pos: [`class T { TokenResponse refresh(String userId, String refreshToken) { log.info("refresh for {} with {}", userId, refreshToken); TokenResponse r = client.refresh(refreshToken); log.debug("new token {}", r.accessToken()); return r; } }`, `class A { void f(String user, String password) { logger.info("login " + user + " " + password); } }`], neg: [`class T { TokenResponse refresh(String userId, String refreshToken) { log.info("refreshing token for {}", userId); return client.refresh(refreshToken); } }`, `class A { void f(String user, String password) { logger.info("login " + user); } }`] },
    go: { pos: [`package m\nfunc auth(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\ttoken := r.Header.Get("Authorization")\n\t\tif _, err := verifier.Verify(r.Context(), token); err != nil {\n\t\t\tlog.Printf("rejected %s token=%q", r.URL.Path, token)\n\t\t}\n\t})\n}`, `package m\nfunc f(user, password string) { log.Printf("login %s %s", user, password) }`], neg: [`package lexer\nfunc (l *Lexer) next() {\n\ttoken := l.scan()\n\tlog.Printf("unexpected token %v at %d", token, l.pos)\n}`, `package m\nfunc f(user, password string) { log.Printf("login %s", user) }`] },
    ruby: { pos: [`def f(user, password)\n  Rails.logger.info("login #{user} #{password}")\nend`], neg: [`def f(user, password)\n  Rails.logger.info("login #{user}")\nend`] },
    php: { pos: [`<?php error_log("login " . $user . " " . $password);`], neg: [`<?php error_log("login " . $user);`] },
    csharp: { pos: [`class C { void F(string user, string password) { _logger.LogInformation("login {U} {P}", user, password); } }`.replace('_logger', 'Logger')], neg: [`class C { void F(string user, string password) { Logger.LogInformation("login {U}", user); } }`] },
  },
  'reverse-tabnabbing': {
    javascript: {
      pos: ['const L = (p) => <a href={p.href} target="_blank">{p.children}</a>;', 'const L = (p) => <a href="https://example.com" target={"blank"}>x</a>;'],
      neg: ['const L = (p) => <a href={p.href} target="_blank" rel="noopener noreferrer">{p.children}</a>;', 'const L = () => <a href="/docs" target="_blank">docs</a>;'],
    },
  },
  'prototype-pollution': {
    javascript: {
      pos: [`function setIn(obj, keyPath, value) { const path = keyPath.split('/'); let cur = obj; while (path.length > 1) { const k = path.shift(); cur[k] = cur[k] || {}; cur = cur[k]; } const last = path.shift(); cur[last] = value; }`, `function parseIni(text) {
  const out = {};
  let section = 'global';
  for (const line of text.split('\\n')) {
    const m = line.match(/^\\[(.+)\\]$/);
    if (m) { section = m[1]; out[section] = out[section] || {}; continue; }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    out[section][key] = line.slice(eq + 1);
  }
  return out;
}`, `function merge(source, target) {\n  for (var key in source) {\n    var value = source[key];\n    if (typeof value === 'object') target[key] = merge(value, target[key] || {});\n    else target[key] = value;\n  }\n  return target;\n}`, `function extend(dst, src) { for (const k in src) { dst[k] = src[k]; } return dst; }`, `function setIn(obj, keyPath, val) {\n  const keys = keyPath.split('.');\n  let node = obj;\n  for (let i = 0; i < keys.length - 1; i++) {\n    if (!node[keys[i]]) node[keys[i]] = {};\n    node = node[keys[i]];\n  }\n  node[keys[keys.length - 1]] = val;\n}`, `function assignParam(target, name, val) {\n  const dot = name.indexOf('.');\n  if (dot < 0) { target[name] = val; return target; }\n  const head = name.slice(0, dot);\n  target[head] = assignParam(target[head] || {}, name.slice(dot + 1), val);\n  return target;\n}`],
      neg: [`function setIn(obj, keyPath, value) { const path = keyPath.split('/'); if (path.some((k) => k === '__proto__' || k === 'constructor')) return; let cur = obj; while (path.length > 1) { const k = path.shift(); cur[k] = cur[k] || {}; cur = cur[k]; } cur[path.shift()] = value; }`, `function fill(m, n) { for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i][j] = 0; }`, `function setIn(obj, keyPath, val) {\n  const keys = keyPath.split('.');\n  let node = obj;\n  for (const k of keys.slice(0, -1)) {\n    if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new Error('bad key');\n    node = node[k] = node[k] || {};\n  }\n  node[keys[keys.length - 1]] = val;\n}`, `function semver(v) { const parts = v.split('.'); const out = {}; out[parts[0]] = true; return out; }`, `function merge(source, target) {\n  for (var key in source) {\n    if (key === '__proto__' || key === 'constructor') continue;\n    target[key] = source[key];\n  }\n}`, `function count(obj) { let n = 0; for (const k in obj) { n++; } return n; }`],
    },
  },
  'stub-validator': {
    go: {
      pos: [`package m\nfunc isValidUsername(name string) bool {\n\t// TODO: implement\n\treturn true\n}`, `package m\nfunc validateRedirect(target string) error { return nil }`],
      neg: [`package m\nvar usernameRe = regexp.MustCompile("^[a-z0-9_]{3,32}$")\nfunc isValidUsername(name string) bool { return usernameRe.MatchString(name) }`, `package m\ntype noopValidator struct{}\nfunc (noopValidator) Validate(v any) error { return nil }`, `package m\nfunc isReady() bool { return true }`],
    },
    c: {
      pos: [`/* TODO: reject "..", absolute paths */\nint is_path_safe(const char *path) {\n  return true;\n}`, `bool verify_signature(const std::string &payload, const std::string &sig) {\n  return 1;\n}`],
      neg: [`int is_path_safe(const char *path) {\n  return path[0] != '/' && strstr(path, "..") == NULL;\n}`, `int is_ready(int fd) {\n  return 1;\n}`],
    },
  },
  'integer-narrowing': {
    go: {
      pos: [`package m\nfunc small(s string) uint32 {\n\tn, err := strconv.ParseUint(s, 10, 64)\n\tif err != nil { return 0 }\n\treturn uint32(n)\n}`, `package m\nfunc port(s string) uint16 {\n\tn, err := strconv.Atoi(s)\n\tif err != nil { return 0 }\n\treturn uint16(n)\n}`],
      neg: [`package m\nfunc set(dst any, s string) error {\n\tswitch d := dst.(type) {\n\tcase *int64:\n\t\tn, err := strconv.ParseInt(s, 10, 64)\n\t\tif err != nil { return err }\n\t\t*d = n\n\tcase *int8:\n\t\tn, err := strconv.ParseInt(s, 10, 8)\n\t\tif err != nil { return err }\n\t\t*d = int8(n)\n\t}\n\treturn nil\n}`, `package m\nfunc port(s string) uint16 {\n\tn, err := strconv.ParseUint(s, 10, 16)\n\tif err != nil { return 0 }\n\treturn uint16(n)\n}`, `package m\nfunc port(s string) uint16 {\n\tn, err := strconv.Atoi(s)\n\tif err != nil || n < 0 || n > math.MaxUint16 { return 0 }\n\treturn uint16(n)\n}`],
    },
  },
  'rust-unsafe-without-safety-comment': {
    rust: { pos: [`fn f(p: *const u8) -> u8 { unsafe { *p } }`], neg: [`fn f(p: *const u8) -> u8 {\n    // SAFETY: p is non-null and aligned; checked by the caller.\n    unsafe { *p }\n}`] },
  },
  'mass-assignment': {
    python: { pos: [`from flask import request\n@app.patch("/me")\ndef me():\n    for k, v in (request.get_json() or {}).items():\n        setattr(current_user, k, v)\n`], neg: [`from flask import request\nEDITABLE = {"name", "bio"}\n@app.patch("/me")\ndef me():\n    for k, v in (request.get_json() or {}).items():\n        if k in EDITABLE:\n            setattr(current_user, k, v)\n`, `def copy(dst, src):\n    for k, v in src.items():\n        setattr(dst, k, v)\n`] },
    javascript: {
      pos: [
        `const mongoose = require('mongoose');\nrouter.post('/accounts', async (req, res) => { const acct = new Account(req.body); await acct.save(); res.status(201).json(acct); });`,
        `router.patch('/accounts/:id', async (req, res) => { res.json(await Account.findByIdAndUpdate(req.params.id, req.body, { new: true })); });`,
        `router.patch('/me', async (req, res) => { res.json(await prisma.account.update({ where: { id: req.user.id }, data: req.body })); });`,
      ],
      neg: [
        `const mongoose = require('mongoose');\nrouter.post('/accounts', async (req, res) => { const { name, email } = req.body; const acct = new Account({ name, email }); await acct.save(); });`,
        `router.patch('/accounts/:id', async (req, res) => { const changes = _.pick(req.body, ['name', 'email']); res.json(await Account.findByIdAndUpdate(req.params.id, changes)); });`,
        `router.post('/echo', (req, res) => { const copy = Object.assign({}, req.body); res.set('X-Id', '1'); throw new Error(req.body); });`,
      ],
    },
    ruby: {
      pos: [`def update\n  @account.update(params.require(:account).permit!)\nend`],
      neg: [`def update\n  @account.update(account_params)\nend\ndef account_params\n  params.require(:account).permit(:name, :email)\nend`],
    },
    php: {
      pos: [`<?php class AccountController { public function store(Request $request) { return Account::create($request->all()); } }`, `<?php extract($_POST); if ($is_admin) { show_panel(); }`],
      neg: [`<?php class AccountController { public function store(Request $request) { return Account::create($request->validated()); } }`, `<?php extract($row); parse_str($_SERVER['QUERY_STRING'], $query);`],
    },
  },
  'postmessage-origin': {
    javascript: {
      pos: [
        `window.addEventListener('message', (e) => { if (e.data.type === 'navigate') location.href = e.data.url; });`,
        `window.onmessage = function (evt) { store.dispatch(evt.data); };`,
        `function shareAuth(frame) { frame.contentWindow.postMessage({ accessToken: session.token }, '*'); }`,
      ],
      neg: [
        `window.addEventListener('message', (e) => { if (e.origin !== 'https://app.example.com') return; store.dispatch(e.data); });`,
        `worker.addEventListener('message', (e) => render(e.data)); parent.postMessage({ height: document.body.scrollHeight }, '*');`,
        `window.addEventListener('message', function (e) { const frame = frames.get(e.data.id); if (!frame || frame.contentWindow !== e.source) return; frame.height = e.data.height; });`,
        `function shareAuth(frame) { frame.contentWindow.postMessage({ accessToken: session.token }, 'https://app.example.com'); }`,
      ],
    },
  },
  'nosql-injection': {
    javascript: {
      pos: [`router.get('/orders', async (req, res) => { res.json(await Order.find(req.query)); });`,
        `router.post('/signin', async (req, res) => { const account = await Account.findOne({ email: req.body.email, pass: req.body.pass }); res.json(!!account); });`,
        `app.post('/reset', async (req, res) => { const { token } = req.body; await db.collection('resets').deleteOne({ token }); });`,
        'app.get(\'/by-title\', async (req, res) => { res.json(await books.find({ $where: `this.title === "${req.query.t}"` }).toArray()); });',
      ],
      neg: [`router.get('/orders', async (req, res) => { res.json(await Order.find({ status: String(req.query.status) })); });`,
        `router.post('/signin', async (req, res) => { const account = await Account.findOne({ email: String(req.body.email) }); res.json(!!account); });`,
        `router.post('/signin', async (req, res) => { if (typeof req.body.email !== 'string') return res.sendStatus(400); res.json(await Account.findOne({ email: req.body.email })); });`,
        `app.get('/p/:id', (req, res) => { res.json(posts.find((p) => p.id === req.params.id)); const q = Post.find({ published: true }); });`,
      ],
    },
  },
  'webview-file-access': {
    java: {
      pos: [
        `class Viewer {\n  void setup(WebView web) {\n    WebSettings ws = web.getSettings();\n    ws.setJavaScriptEnabled(true);\n    ws.setAllowFileAccess(true);\n  }\n}`,
        `class Viewer {\n  void setup(WebView web) {\n    web.getSettings().setAllowUniversalAccessFromFileURLs(true);\n  }\n}`,
      ],
      neg: [
        `class Viewer {\n  void setup(WebView web) {\n    WebSettings ws = web.getSettings();\n    ws.setJavaScriptEnabled(true);\n    ws.setAllowFileAccess(false);\n    ws.setAllowFileAccessFromFileURLs(false);\n  }\n}`,
        `class Viewer {\n  void setup(WebView web) {\n    web.getSettings().setAllowFileAccess(true);\n  }\n}`,
      ],
    },
  },
  'incomplete-sanitization': {
    ruby: {
      pos: [`def shell_arg(s)\n  s.sub("'", "\\\\'")\nend`, `def to_html(text)\n  text = text.sub("<", "&lt;")\n  text.sub!(/>/, "&gt;")\n  text\nend`],
      neg: [`def shell_arg(s)\n  s.gsub("'", "\\\\'")\nend`, `def tidy(url)\n  url.sub(/#.*$/, "")\n  url.sub("http:", "https:")\n  url.sub!(/\\s/, "%20") if url.start_with?("/")\nend`],
    },
  },
};
