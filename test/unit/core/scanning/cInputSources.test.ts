import * as assert from 'node:assert/strict';
import { createScanner, type Finding, type Scanner } from '../../../../src/core/scanning/index';

describe('scanning data flow: C/C++ input sources', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  const only = async (code: string, lang: string, id: string): Promise<Finding[]> => (await scanner.scan(code, lang)).findings.filter((f) => f.ruleId === id);

  it('a line read from stdin with fgets is untrusted', async () => {
    const code = 'int main(void) {\n  char host[64], cmd[128];\n  if (!fgets(host, sizeof host, stdin)) return 1;\n  snprintf(cmd, sizeof cmd, "nslookup %s", host);\n  return system(cmd);\n}\n';
    const [f] = await only(code, 'c', 'command-injection');
    assert.ok(f, 'expected a finding');
    assert.equal(f.severity, 'high');
    assert.match(f.flow?.source ?? '', /fgets/);
  });

  it('data received from a socket stays untrusted after its terminator is written', async () => {
    const code = 'void serve(int sock) {\n  char name[128];\n  ssize_t n = recv(sock, name, sizeof name - 1, 0);\n  if (n <= 0) return;\n  name[n] = 0;\n  FILE *f = fopen(name, "rb");\n  if (f) fclose(f);\n}\n';
    const [f] = await only(code, 'c', 'path-traversal');
    assert.ok(f, 'expected a finding');
    assert.equal(f.severity, 'high');
    assert.match(f.flow?.source ?? '', /recv/);
  });

  it('a line read from an ordinary file is not a proven source', async () => {
    const code = 'void show(FILE *cfg) {\n  char line[128];\n  if (fgets(line, sizeof line, cfg)) printf(line);\n}\n';
    const fs = await only(code, 'c', 'format-string');
    assert.equal(fs.length, 1);
    assert.ok(!fs[0].flow, 'no untrusted source is claimed for a configuration file');
  });

  it('cpp-httplib request parameters are request data', async () => {
    const code = 'void greet(const httplib::Request &req, httplib::Response &res) {\n  res.set_header("X-Greeting", req.get_param_value("name"));\n}\n';
    const [f] = await only(code, 'cpp', 'header-injection');
    assert.ok(f, 'expected a finding');
    assert.equal(f.severity, 'high');
  });
});
