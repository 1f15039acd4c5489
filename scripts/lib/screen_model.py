"""The synthetic screen's model for scripts/make-screen (its docstring states every distribution):
cultures and designs read back, planted CD8 and CD4 reactivity, matrix pools, wells, sorted TCR-seq
and the truth file. Deterministic for the random.Random streams it is given."""
import csv
import math
import os
import sys

from count_models import binomial, log_uniform, lognormal_factor, negative_binomial, poisson
from synthetic_vcf import write_atomic

ASSAYS = ["elispot_ifng", "cd137_cd8", "cd137_cd4", "ox40_cd4"]
# Which compartment each flow assay reads, and its upregulation range on reactive cells.
FLOW = {"cd137_cd8": ("CD8", (0.5, 0.9)), "cd137_cd4": ("CD4", (0.15, 0.4)), "ox40_cd4": ("CD4", (0.5, 0.8))}
FLOW_POSITIVE = {"cd137_cd8": (0.2, 0.6), "cd137_cd4": (0.1, 0.4), "ox40_cd4": (0.2, 0.6)}
SORT_MARKER = {"CD8": "cd137_cd8", "CD4": "ox40_cd4"}  # the gate a compartment's reactive cells are sorted on
NEGATIVE_WELLS, POSITIVE_WELLS = 6, 2
FLOW_CELLS_PER_WELL = 100000
ELISPOT_BACKGROUND_SIZE = 10.0  # negative-binomial size: variance mean + mean^2/10
FAILED_RESPONSE = 0.05         # share of the signal cells give when their positive control failed
MIN_CLASS_II_LENGTH = 15       # members this long can carry a class II epitope (CD4)
# Lognormal well-to-well noise (sigma): ELISpot spots, flow background share, flow signal share.
ELISPOT_WELL_SIGMA, FLOW_BACKGROUND_SIGMA, FLOW_SIGNAL_SIGMA = 0.2, 0.3, 0.15


def log(msg):
    print(msg, file=sys.stderr)


def read_tsv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def write_tsv(path, header, rows):
    write_atomic(path, "\t".join(header) + "\n" + "".join("\t".join(str(x) for x in r) + "\n" for r in rows))


# ---- inputs ------------------------------------------------------------------------------------

class Clone:
    """One clonotype of a culture's AIRR file (slots: a 10^5-clonotype culture stays small)."""
    __slots__ = ("id", "cdr3", "v", "j", "count", "freq")

    def __init__(self, row):
        self.id, self.cdr3 = row["sequence_id"], row["junction_aa"]
        self.v, self.j = sys.intern(row["v_call"]), sys.intern(row["j_call"])
        self.count = int(row["duplicate_count"])
        self.freq = 0.0


def load_cultures(patient):
    """Fragment ids in manifest order and each culture's clonotypes (Clone, file order)."""
    order, cultures = [], {}
    for row in read_tsv(os.path.join(patient, "fragments.tsv")):
        fid = row["fragment_id"]
        with open(os.path.join(patient, row["path"]), newline="") as fh:
            clones = [Clone(r) for r in csv.DictReader(fh, delimiter="\t")]
        total = sum(c.count for c in clones)
        for c in clones:
            c.freq = c.count / total
        order.append(fid)
        cultures[fid] = clones
    return order, cultures


def load_design(path):
    """{construct id: dict(kind, members [dict(slot, neo, seq)] in slot order)} in file order, and
    {neoantigen id: dict(gene, change, priority, weight)}."""
    constructs, neos = {}, {}
    for r in read_tsv(path):
        c = constructs.setdefault(r["construct"], dict(kind=r["kind"], members=[]))
        c["members"].append(dict(slot=int(r["slot"]), neo=r["neoantigen_id"], seq=r["sequence"]))
        neos.setdefault(r["neoantigen_id"], dict(gene=r["gene"], change=r["change"], priority=r["priority"],
                                                 weight=r["weight"]))
    for c in constructs.values():
        c["members"].sort(key=lambda m: m["slot"])
    return constructs, neos


# ---- planted reactivity ------------------------------------------------------------------------

def cd8_reactivities(patient, cultures):
    """{fid: [reactivity]} from planted.tsv: one per fragment x neoantigen, its clonotypes found in
    the culture by (CDR3, V, count)."""
    out = {fid: [] for fid in cultures}
    by_key, index = {}, {}
    for r in read_tsv(os.path.join(patient, "planted.tsv")):
        if r["role"] != "reactive":
            continue
        fid = r["fragment_id"]
        if fid not in index:
            index[fid] = {(c.cdr3, c.v, c.count): k for k, c in enumerate(cultures[fid])}
        k = index[fid][(r["cdr3_beta"], r["v_beta"], int(r["count"]))]
        x = by_key.get((fid, r["neoantigen"]))
        if x is None:
            x = dict(fragment=fid, neo=r["neoantigen"], compartment="CD8", epitope=r["epitope"], clones=[])
            by_key[(fid, r["neoantigen"])] = x
            out[fid].append(x)
        x["clones"].append(k)
    return out


def add_cd4_reactivities(rng, order, cultures, reactivities, constructs, planted_keys):
    """Makes 1-2 private background clonotypes of about 30% of the cultures CD4-reactive to a design
    neoantigen with a long member that the culture has no CD8 reactivity to."""
    long_neos = sorted({m["neo"] for c in constructs.values() for m in c["members"]
                        if len(m["seq"]) >= MIN_CLASS_II_LENGTH})
    cultures_of = {}
    for fid in order:
        for c in cultures[fid]:
            cultures_of[(c.cdr3, c.v)] = cultures_of.get((c.cdr3, c.v), 0) + 1
    chosen = rng.sample(order, max(1, int(round(0.3 * len(order)))))
    for fid in order:
        if fid not in chosen:
            continue
        taken = {x["neo"] for x in reactivities[fid]}
        neos = [n for n in long_neos if n not in taken]
        private = [k for k, c in enumerate(cultures[fid])
                   if cultures_of[(c.cdr3, c.v)] == 1 and (c.cdr3, c.v) not in planted_keys]
        if not neos or not private:
            continue
        pool = [k for k in private if 0.002 <= cultures[fid][k].freq <= 0.03]
        if not pool:  # a culture without clones in range: the private ones closest to 0.5%
            pool = sorted(private, key=lambda k: (abs(math.log(cultures[fid][k].freq / 0.005)), k))[:5]
        clones = sorted(rng.sample(pool, min(len(pool), rng.choice([1, 2]))))
        reactivities[fid].append(dict(fragment=fid, neo=rng.choice(neos), compartment="CD4", epitope="", clones=clones))


def stimulates(construct, x):
    for m in construct["members"]:
        if x["compartment"] == "CD8" and x["epitope"] and x["epitope"] in m["seq"]:
            return True
        if x["compartment"] == "CD4" and m["neo"] == x["neo"] and len(m["seq"]) >= MIN_CLASS_II_LENGTH:
            return True
    return False


def frequency(cultures, x):
    return sum(cultures[x["fragment"]][k].freq for k in x["clones"])


# ---- matrix pools ------------------------------------------------------------------------------

def make_matrix(rng, constructs, neos, reactivities, screened, n_peptides, n_pools=None):
    """Matrix pools of long peptides (one design TMG member per neoantigen): the screened fragments'
    reactive neoantigens (up to half the peptides) and others at random. Returns (pools in order
    MR1.. MC1.., tsv rows). With n_pools, rows + columns = n_pools and the grid is filled as far as
    peptides allow."""
    first = {}
    for c in constructs.values():
        if c["kind"] != "tandem_minigene":
            continue
        for m in c["members"]:
            if len(m["seq"]) >= MIN_CLASS_II_LENGTH:
                first.setdefault(m["neo"], m)
    if n_pools:
        rows_n, cols_n = (n_pools + 1) // 2, n_pools // 2
        n_peptides = rows_n * cols_n
    reactive = sorted({x["neo"] for fid in screened for x in reactivities[fid] if x["neo"] in first})
    rng.shuffle(reactive)
    picked = reactive[:max(1, n_peptides // 2)]
    others = sorted(n for n in first if n not in picked)
    rng.shuffle(others)
    picked += others[:max(0, n_peptides - len(picked))]
    rng.shuffle(picked)
    if not n_pools:
        rows_n = max(1, int(math.ceil(math.sqrt(len(picked)))))
        cols_n = max(1, int(math.ceil(len(picked) / rows_n)))
    pools = {("MR%d" % (r + 1)): [] for r in range(rows_n)}
    pools.update({("MC%d" % (c + 1)): [] for c in range(cols_n)})
    for i, neo in enumerate(picked[:rows_n * cols_n]):
        pools["MR%d" % (i // cols_n + 1)].append(first[neo])
        pools["MC%d" % (i % cols_n + 1)].append(first[neo])
    pools = {k: v for k, v in pools.items() if v}
    rows = []
    matrix = {}
    for pid, members in pools.items():
        axis = "row" if pid.startswith("MR") else "column"
        matrix[pid] = dict(kind="peptide_pool", members=[dict(slot=s + 1, neo=m["neo"], seq=m["seq"])
                                                          for s, m in enumerate(members)])
        for s, m in enumerate(members):
            n = neos[m["neo"]]
            rows.append([pid, "peptide_pool", s + 1, m["neo"], n["gene"], n["change"], m["seq"], n["priority"],
                         n["weight"], "matrix %s %s" % (axis, pid[2:])])
    return matrix, rows


# ---- wells -------------------------------------------------------------------------------------

def fragment_parameters(rng):
    """One culture's response: always drawn in this order, whatever the assays."""
    p = dict(bg_spots=rng.uniform(0.5, 25.0), cd8_share=rng.uniform(0.25, 0.75),
             spot_eff={"CD8": rng.uniform(0.3, 0.7), "CD4": rng.uniform(0.15, 0.4)})
    for assay in ("cd137_cd8", "cd137_cd4", "ox40_cd4"):
        p[assay] = dict(background=log_uniform(rng, 0.001, 0.01), upregulation=rng.uniform(*FLOW[assay][1]),
                        events=rng.randint(2000, 20000))
    return p


def signal(assay, p, cultures, reacting, cells):
    """Expected response: spots (ELISpot) or the activated share of the parent gate (flow)."""
    if assay == "elispot_ifng":
        return cells * sum(frequency(cultures, x) * p["spot_eff"][x["compartment"]] for x in reacting)
    compartment = FLOW[assay][0]
    share = p["cd8_share"] if compartment == "CD8" else 1.0 - p["cd8_share"]
    reactive = sum(frequency(cultures, x) for x in reacting if x["compartment"] == compartment)
    return min(1.0, reactive / share) * p[assay]["upregulation"]


def expected_means(assay, p, cultures, reacting, cells, damp):
    """Expected well means (spots/well; % of the parent gate) of the fragment's negative wells and of
    a construct that stimulates `reacting`: the truth's yardstick for what a call could see."""
    mean = damp * signal(assay, p, cultures, reacting, cells)
    if assay == "elispot_ifng":
        return p["bg_spots"], p["bg_spots"] + mean * math.exp(ELISPOT_WELL_SIGMA ** 2 / 2)
    negative = 100.0 * p[assay]["background"] * math.exp(FLOW_BACKGROUND_SIGMA ** 2 / 2)
    return negative, negative + 100.0 * mean * math.exp(FLOW_SIGNAL_SIGMA ** 2 / 2)


def well_value(rng, assay, p, mean, positive_control, cells):
    if assay == "elispot_ifng":
        if positive_control:
            return str(poisson(rng, cells * rng.uniform(0.015, 0.04)))
        return str(negative_binomial(rng, p["bg_spots"], ELISPOT_BACKGROUND_SIZE) +
                   poisson(rng, mean * lognormal_factor(rng, ELISPOT_WELL_SIGMA)))
    if positive_control:
        share = rng.uniform(*FLOW_POSITIVE[assay])
    else:
        share = (p[assay]["background"] * lognormal_factor(rng, FLOW_BACKGROUND_SIGMA) +
                 mean * lognormal_factor(rng, FLOW_SIGNAL_SIGMA))
    events = max(100, int(round(p[assay]["events"] * rng.uniform(0.7, 1.3))))
    return "%.3f" % (100.0 * binomial(rng, events, min(share, 0.95)) / events)


def fragment_wells(rng, fid, assay, p, cultures, reactivities, screened_constructs, failed, replicates, cells,
                   screen_label=""):
    """One fragment x assay's plates: controls, then `replicates` wells per construct. A later screen's
    wells carry its label in replicates (`r2.1`) and plates, so each well stays unique across screens."""
    cells_col = cells if assay == "elispot_ifng" else FLOW_CELLS_PER_WELL
    damp = FAILED_RESPONSE if assay in failed else 1.0
    plan = [("negative", r + 1, 0.0, False) for r in range(NEGATIVE_WELLS)]
    plan += [("positive", r + 1, 0.0, assay not in failed) for r in range(POSITIVE_WELLS)]
    for cid, c in screened_constructs:
        mean = damp * signal(assay, p, cultures, [x for x in reactivities if stimulates(c, x)], cells)
        plan += [(cid, r + 1, mean, False) for r in range(replicates)]
    rows = []
    prefix = screen_label + "." if screen_label else ""
    for k, (cid, rep, mean, positive_control) in enumerate(plan):
        value = well_value(rng, assay, p, mean, positive_control, cells)
        plate = "%s-%s-%s%d" % (fid, assay, screen_label + "-" if screen_label else "", k // 96 + 1)
        well = "ABCDEFGH"[(k % 96) // 12] + str(k % 12 + 1)
        rows.append([fid, cid, assay, prefix + str(rep), value, cells_col, plate, well])
    return rows


# ---- TCR-seq -----------------------------------------------------------------------------------

def write_repertoire(path, prefix, clones, weights, templates, rng):
    total = sum(weights)
    lines = ["sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count"]
    n = 0
    for c, w in zip(clones, weights):
        count = poisson(rng, templates * w / total) if w > 0 else 0
        if count:
            n += 1
            lines.append("%s.%d\tTRB\tT\t%s\t%s\t%s\t%d" % (prefix, n, c.v, c.j, c.cdr3, count))
    write_atomic(path, "\n".join(lines) + "\n")


def sort_pair(rng, out_dir, fid, cid, clones, reacting, templates, folder="tcrseq"):
    """Writes the sorted and unsorted repertoires of one co-culture into out_dir/folder; returns the
    manifest rows."""
    weights = [c.freq for c in clones]
    sorted_w = list(weights)
    if reacting:
        purity = rng.uniform(0.3, 0.9)
        boost = {}
        for x in reacting:
            up = rng.uniform(*FLOW[SORT_MARKER[x["compartment"]]][1])
            for k in x["clones"]:
                boost[k] = boost.get(k, 0.0) + clones[k].freq * up
        total = sum(boost.values())
        sorted_w = [w * (1.0 - purity) + purity * boost.get(k, 0.0) / total for k, w in enumerate(weights)]
    rows = []
    for population, w in (("sorted", sorted_w), ("unsorted", weights)):
        n = templates(rng)
        rel = "%s/%s.%s.%s.airr.tsv" % (folder, fid, cid, population)
        write_repertoire(os.path.join(out_dir, rel), "%s.%s.%s" % (fid, cid, population), clones, w, n, rng)
        rows.append([fid, cid, population, rel, "airr"])
    return rows


def write_truth(path, order, cultures, reactivities, tested, failures, sorted_in, params, damp, assays, cells):
    """screen_truth.tsv (the docstring's columns). tested: {fid: [(cid, construct)]} for every screened
    fragment; failures: {fid: [assays]} whose positive control failed; sorted_in: {id(reactivity): [cid]}
    of the sorts that captured it; damp(fid, assay): the share of its signal a construct's wells carry."""
    # Where each shared clonotype can be proven: screened cultures with a sort of its reactivity.
    provable = {}
    for fid in order:
        for x in reactivities[fid] if fid in tested else []:
            if x["compartment"] == "CD8" and sorted_in.get(id(x)):
                for k in x["clones"]:
                    provable.setdefault((cultures[fid][k].cdr3, cultures[fid][k].v), []).append(fid)
    truth = []
    for fid in order:
        state = ["yes" if fid in tested else "no", ",".join(failures.get(fid, [])) or "NA"]
        xs = sorted(reactivities[fid], key=lambda x: (x["compartment"] != "CD8", x["neo"]))
        if not xs:
            truth.append([fid] + state + ["NA"] * 13)
        for x in xs:
            clones = [cultures[fid][k] for k in x["clones"]]
            stim = [cid for cid, c in tested.get(fid, []) if stimulates(c, x)]
            tracked_from, tracked_freq = [], 0.0
            for c in clones:
                elsewhere = [g for g in provable.get((c.cdr3, c.v), []) if g != fid]
                tracked_from += [g for g in elsewhere if g not in tracked_from]
                tracked_freq += c.freq if elsewhere else 0.0
            tracked_from.sort(key=order.index)
            means = ["NA", "NA"]
            if fid in tested:
                pairs = [(assay, expected_means(assay, params[fid], cultures, [x], cells, damp(fid, assay)))
                         for assay in assays]
                means = [",".join("%s=%.4g" % (assay, m[k]) for assay, m in pairs) for k in (0, 1)]
            truth.append([fid] + state + [x["neo"], x["compartment"], x["epitope"] or "NA", "%.6g" % frequency(cultures, x),
                                          ",".join(c.id for c in clones), ",".join(c.cdr3 for c in clones),
                                          ",".join(c.v for c in clones), ",".join(stim) or "NA",
                                          ",".join(sorted_in.get(id(x), [])) or "NA", ",".join(tracked_from) or "NA",
                                          "%.6g" % tracked_freq if tracked_from else "NA"] + means)
    write_tsv(path, ["fragment_id", "screened", "positive_control_failed", "neoantigen_id", "compartment", "epitope",
                     "reactive_frequency", "clonotype_ids", "cdr3_betas", "v_betas", "constructs", "sorted",
                     "tracked_from", "tracked_frequency", "negative_means", "signal_means"], truth)
