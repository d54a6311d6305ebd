/** ML supply-chain rules: remote code, unpinned Hub artifacts, LLM agent tools that run code. */
import type { Node } from 'web-tree-sitter';
import type { Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import { isTrue, kw, replaceFix } from './helpers';

export const trustRemoteCode = defineRule({
  id: 'hf-trust-remote-code',
  name: 'trust_remote_code=True',
  cwe: 'CWE-94',
  severity: 'high',
  pattern: 7,
  message: 'trust_remote_code=True downloads and runs Python code from the model repository',
  why: 'Hugging Face SECURITY.md: "always verify the content of the modeling files"; pin revision= to a reviewed commit. OpenSSF AI/ML: verify model integrity before use.',
  description: 'from_pretrained/pipeline/load_dataset (or any call) with trust_remote_code=True executes repository code on load.',
  matchers: {
    python: [
      {
        kind: 'call', trigger: /trust_remote_code/,
        check: (c, ctx) => {
          const t = kw(c, 'trust_remote_code');
          return t && isTrue(t) ? { node: t, fixes: [replaceFix('Set trust_remote_code=False', t, 'False', ctx)] } : undefined;
        },
      },
    ],
    javascript: [
      {
        kind: 'call', trigger: /trust_?[rR]emote_?[cC]ode/,
        check: (c) => {
          for (const a of c.args) if (a.type === 'object' && /\btrust_?[rR]emote_?[cC]ode\s*:\s*true/.test(a.text)) return { node: a };
          return undefined;
        },
      },
    ],
  },
});

const SHA40 = /^["'][0-9a-f]{40}["']$/;
const LOCAL_PATH = /^["'](?:\.{0,2}\/|~|[A-Za-z]:\\|\.\.?$)|\.(?:pt|pth|bin|safetensors|onnx|h5|keras|ckpt|json|gguf)["']$/;
const BUILTIN_DATASET = /^["'](?:csv|json|parquet|text|imagefolder|audiofolder|arrow|pandas|webdataset|xml|sql)["']$/;

function unpinned(first: Node | undefined, revision: Node | undefined, ctx: RuleContext): boolean {
  if (revision) {
    if (SHA40.test(revision.text.trim())) return false;
    // `revision=REVISION` / a parameter: judge the constant it resolves to; a value chosen by
    // the caller is not evidence of an unpinned download.
    const v = ctx.val(revision);
    return v.c && v.str ? !SHA40.test(`"${v.text}"`) : false;
  }
  // A literal local path is not a Hub download.
  if (first && (LOCAL_PATH.test(first.text) || BUILTIN_DATASET.test(first.text))) return false;
  if (first && /^["']/.test(first.text) && !first.text.includes('/')) {
    // Bare names ("bert-base-uncased", "gpt2") are canonical Hub repos: still remote, still mutable.
    return true;
  }
  return !!first;
}

export const hfUnpinned = defineRule({
  id: 'hf-unpinned-download',
  name: 'Hub artifact not pinned to a commit',
  cwe: 'CWE-494',
  severity: 'low',
  pattern: 8,
  message: 'Model/dataset downloaded from the Hub without revision="<commit sha>": the repo owner (or an attacker with their token) can change what you load',
  why: 'Bandit B615 treats only an immutable commit hash as pinned; OpenSSF AI code assistant guide: pin dependencies to immutable versions and verify integrity.',
  description: 'from_pretrained/hf_hub_download/snapshot_download/load_dataset/pipeline with no revision or a branch/tag revision; torch.hub.load with trust_repo=True.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['from_pretrained', 'hf_hub_download', 'snapshot_download', 'load_dataset', 'pipeline'],
        check: (c, ctx) => {
          if (c.name === 'pipeline' && !kw(c, 'model')) return undefined;
          if (c.name === 'load_dataset' && !/^(?:datasets\.)?load_dataset$/.test(c.callee)) return undefined;
          const first = c.name === 'pipeline' ? kw(c, 'model') : (c.args[0] ?? kw(c, 'repo_id') ?? kw(c, 'pretrained_model_name_or_path') ?? kw(c, 'path'));
          const rev = kw(c, 'revision');
          return unpinned(first, rev, ctx) ? { node: rev ?? c.node } : undefined;
        },
      },
      {
        kind: 'call',
        names: ['load', 'load_state_dict_from_url'],
        check: (c) => {
          if (!/^torch\.hub\./.test(c.callee)) return undefined;
          const tr = kw(c, 'trust_repo');
          if (tr && isTrue(tr)) return { node: tr, severity: 'medium', cwe: 'CWE-829', message: 'torch.hub.load(trust_repo=True) runs hubconf.py from the repository without review' };
          return undefined;
        },
      },
    ],
  },
});

const LC_TOOLS = /^(?:PythonREPLTool|PythonAstREPLTool|PythonREPL|PythonInterpreterTool|ShellTool|BashProcess|TerminalTool|LLMMathChain|PALChain|SQLDatabaseChain|PandasQueryEngine|create_python_agent|create_pandas_dataframe_agent|create_csv_agent|create_spark_dataframe_agent|create_sql_agent|create_xorbits_agent|PythonCodeTool|CodeInterpreterTool)$/;

const pyTools: Matcher = {
  kind: 'call', trigger: /allow_dangerous|REPL|ShellTool|BashProcess|TerminalTool|MathChain|PALChain|SQLDatabaseChain|PandasQueryEngine|create_\w+_agent|PythonCodeTool|CodeInterpreterTool|load_tools/,
  check: (c) => {
    const dangerous = kw(c, 'allow_dangerous_code') ?? kw(c, 'allow_dangerous_requests') ?? kw(c, 'allow_dangerous_deserialization');
    if (dangerous && isTrue(dangerous)) return { node: dangerous, message: `${dangerous.parent?.text.split('=')[0].trim()}=True lets the LLM run code or reach the network with no sandbox` };
    if (LC_TOOLS.test(c.name) && !/^(?:create_pandas_dataframe_agent|create_csv_agent|create_sql_agent|create_spark_dataframe_agent|create_xorbits_agent|SQLDatabaseChain)$/.test(c.name)) return { message: `${c.name} lets the model execute code/commands chosen by its output (prompt injection → code execution)` };
    if (c.name === 'load_tools' && c.args[0] && /["'](?:python_repl|terminal|shell|llm-math|requests_all|requests_post)["']/.test(c.args[0].text)) return { message: 'load_tools with code-running tools (python_repl/terminal/llm-math) lets the model run code' };
    return undefined;
  },
};

export const llmCodeTools = defineRule({
  id: 'llm-code-execution-tool',
  name: 'LLM agent tool that runs code',
  cwe: 'CWE-94',
  severity: 'high',
  pattern: 25,
  message: 'An LLM agent is given a tool that executes code or shell commands',
  why: 'OWASP LLM06 Excessive Agency / LLM05 Improper Output Handling (CVE-2023-29374, CVE-2023-36258, CVE-2023-39659); the OpenSSF ML-driven guide\'s "lethal trifecta": sandbox, allow-list, or require human approval.',
  description: 'LangChain PythonREPLTool/PythonAstREPLTool/ShellTool/LLMMathChain/PALChain, load_tools(["python_repl"|"terminal"]), allow_dangerous_code=True, LlamaIndex PandasQueryEngine.',
  matchers: {
    python: [pyTools],
    javascript: [
      {
        kind: 'call', trigger: /allowDangerous|PythonInterpreterTool|ShellTool|BashTool|NodeVMTool/,
        check: (c) => {
          if (/^(?:PythonInterpreterTool|ShellTool|BashTool|NodeVMTool)$/.test(c.name) && c.isNew) return { message: `${c.name} lets the model run code chosen by its output` };
          for (const a of c.args) if (a.type === 'object' && /\ballowDangerous(?:Code|Requests)\s*:\s*true/.test(a.text)) return { node: a, message: 'allowDangerous… : true lets the LLM run code or reach the network with no sandbox' };
          return undefined;
        },
      },
    ],
  },
});
