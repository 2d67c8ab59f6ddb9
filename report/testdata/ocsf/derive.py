import json, subprocess, sys
T = "refs/tags/1.3.0"
def load(p): return json.loads(subprocess.check_output(["git", "show", f"{T}:{p}"]))
D = load("dictionary.json")
DA, DT = D["attributes"], D["types"]["attributes"]
def base_type(t):
    while t in DT and "type" in DT[t]: t = DT[t]["type"]
    return t
JT = {"string_t": "string", "integer_t": "integer", "long_t": "integer", "float_t": "number", "boolean_t": "boolean", "json_t": None}
def merge_attrs(chain):
    out = {}
    for attrs in chain:
        for k, v in attrs.items():
            if k == "$include":
                for inc in v:
                    out_inc = load(inc)["attributes"]
                    for k2, v2 in out_inc.items():
                        out.setdefault(k2, {}).update(v2)
                continue
            out.setdefault(k, {}).update(v)
    return out
def chain_of(kind, name):
    c = []
    while name:
        d = load(f"{kind}/{name}.json") if kind == "objects" else load(name)
        c.insert(0, d["attributes"])
        nxt = d.get("extends")
        if not nxt or nxt == "object": break
        if kind == "objects": name = nxt
        else: name = {"finding": "events/findings/finding.json", "base_event": "events/base_event.json"}[nxt]
    return c
DEEP = {"compliance", "finding_info", "metadata", "product", "resource_details", "cloud", "account", "remediation"}
def schema_for_attr(k, v, depth):
    d = dict(DA.get(k, {})); d.update(v)
    t = d.get("type")
    enum = {}
    for src in (DA.get(k, {}), v):
        enum.update(src.get("enum", {}))
    if t in DT or t in JT: 
        jt = JT.get(base_type(t))
        s = {} if jt is None else {"type": jt}
        if enum and jt == "integer": s["enum"] = sorted(int(e) for e in enum)
    else:
        s = obj_schema(t, depth + 1) if t in DEEP and depth < 3 else {"type": "object"}
    if d.get("is_array"): s = {"type": "array", "items": s}
    return s
def build(attrs, depth, constraints=None):
    props, req = {}, []
    for k, v in sorted(attrs.items()):
        props[k] = schema_for_attr(k, v, depth)
        if v.get("requirement") == "required": req.append(k)
    s = {"type": "object", "properties": props, "required": req, "additionalProperties": False}
    if constraints and "at_least_one" in constraints:
        s["anyOf"] = [{"required": [a]} for a in constraints["at_least_one"]]
    return s
def obj_schema(name, depth):
    cons = None
    n = name
    while True:
        d = load(f"objects/{n}.json")
        cons = cons or d.get("constraints")
        if not d.get("extends") or d["extends"] == "object": break
        n = d["extends"]
    return build(merge_attrs(chain_of("objects", name)), depth, cons)
attrs = merge_attrs(chain_of("events", "events/findings/compliance_finding.json"))
attrs.update(merge_attrs([load("profiles/cloud.json")["attributes"]]))
s = build(attrs, 0)
s["required"].remove("osint")  # a profile vigil does not apply: required only when applied
s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
s["$id"] = "https://schema.ocsf.io/1.3.0/classes/compliance_finding.json"
s["title"] = "OCSF 1.3.0 Compliance Finding (class_uid 2003) with the cloud profile"
s["properties"]["class_uid"] = {"const": 2003}
s["properties"]["category_uid"] = {"const": 2}
acts = s["properties"]["activity_id"]["enum"]
s["properties"]["type_uid"] = {"enum": [200300 + a for a in acts]}
s["properties"]["metadata"]["properties"]["version"] = {"type": "string", "pattern": "^1\\.3\\."}
json.dump(s, sys.stdout, indent=1, sort_keys=True)
