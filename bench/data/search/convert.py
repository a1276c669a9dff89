# Converts public tool-retrieval sets (ShishirPatil/gorilla, Apache-2.0) into search-eval JSON Lines.
import json, subprocess, re, sys, os
# Usage: python3 convert.py GORILLA_GIT_DIR  (a clone of github.com/ShishirPatil/gorilla; its HEAD is read)
if len(sys.argv) != 2:
    sys.exit('usage: python3 convert.py GORILLA_GIT_DIR')
REPO = sys.argv[1]
def show(path):
    return subprocess.run(['git', '-C', REPO, 'show', 'HEAD:' + path], capture_output=True, text=True, check=True).stdout
def lines(path):
    for l in show(path).splitlines():
        l = l.strip()
        if l:
            yield json.loads(l)

def params_of(schema, prefix=''):
    out = []
    props = (schema or {}).get('properties') or {}
    for name, p in props.items():
        if not isinstance(p, dict):
            continue
        desc = p.get('description') or ''
        if p.get('enum'):
            desc = (desc + ' One of: ' + ', '.join(map(str, p['enum'])) + '.').strip()
        out.append({'name': prefix + name, 'description': desc})
        if p.get('type') in ('dict', 'object') and p.get('properties'):
            out.extend(params_of(p, prefix + name + '.'))
    return out

def bfcl():
    os.makedirs('bfcl', exist_ok=True)
    cats = ['simple_python', 'simple_java', 'simple_javascript', 'multiple', 'parallel', 'parallel_multiple',
            'live_simple', 'live_multiple', 'live_parallel', 'live_parallel_multiple']
    tools = {}
    queries = []
    base = 'berkeley-function-call-leaderboard/bfcl_eval/data/'
    for c in cats:
        answers = {a['id']: a for a in lines(base + 'possible_answer/BFCL_v4_' + c + '.json')}
        for q in lines(base + 'BFCL_v4_' + c + '.json'):
            for f in q['function']:
                if f['name'] not in tools:
                    tools[f['name']] = {'id': f['name'], 'name': f['name'], 'description': f.get('description', ''),
                                        'parameters': params_of(f.get('parameters'))}
            a = answers.get(q['id'])
            if a is None:
                continue
            relevant = sorted({name for call in a['ground_truth'] for name in call})
            text = ' '.join(m['content'] for turn in q['question'] for m in turn if m['role'] == 'user')
            if relevant and text.strip():
                queries.append({'id': q['id'], 'query': text, 'relevant': relevant})
    write('bfcl', tools.values(), queries)

def apibench():
    os.makedirs('apibench', exist_ok=True)
    tools = {}
    for f in ['huggingface', 'tensorflowhub', 'torchhub']:
        for t in lines('data/api/' + f + '_api.jsonl'):
            call = t.get('api_call')
            if not call or call in tools:
                continue
            args = t.get('api_arguments')
            params = []
            if isinstance(args, dict):
                params = [{'name': k, 'description': str(v)} for k, v in args.items()]
            elif isinstance(args, list):
                params = [{'name': str(a), 'description': ''} for a in args]
            elif isinstance(args, str) and args.strip():
                params = [{'name': a.strip(), 'description': ''} for a in args.split(',') if a.strip()]
            desc = ' '.join(x for x in [str(t.get('domain') or '') + ':', str(t.get('functionality') or '') + '.', str(t.get('description') or '')] if x.strip(':.'))
            tools[call] = {'id': call, 'name': str(t.get('api_name') or call), 'description': desc, 'parameters': params}
    queries = []
    for f in ['huggingface', 'tensorflow', 'torchhub']:
        for i, q in enumerate(lines('data/apibench/' + f + '_eval.json')):
            m = re.search(r'###Instruction:(.*?)###Output', q['code'], re.S)
            if not m or q.get('api_call') not in tools:
                continue
            queries.append({'id': f + '_' + str(i), 'query': m.group(1).strip(), 'relevant': [q['api_call']]})
    write('apibench', tools.values(), queries)

def write(name, tools, queries):
    with open(name + '/tools.jsonl', 'w') as o:
        for t in tools:
            o.write(json.dumps(t) + '\n')
    with open(name + '/queries.jsonl', 'w') as o:
        for q in queries:
            o.write(json.dumps(q) + '\n')
    print(name, len(list(tools)), 'tools', len(queries), 'queries')

bfcl(); apibench()
