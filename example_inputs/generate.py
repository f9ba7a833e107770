"""Generate the synthetic StressTest survey export used by the reportgen demo.

Everything this script writes is synthetic. The 26 regions, their names and every answer are
invented; no real survey data is used or imitated. The output only has to look like a
plausible export so that reportgen can be demonstrated and tested end to end.

The script reads an indicator catalogue and loops over whatever groups, scales, dimensions
and questions it declares, so it keeps working when the catalogue changes. A few built-in
hints (group shares, group perspectives) apply only when the catalogue uses the matching ids.

Rerun it from the repository root; the same seed always gives the same file:

    python example_inputs/generate.py
    python example_inputs/generate.py --catalogue path/to/catalogue.yaml --out /tmp/demo --seed 7

Defaults: catalogue ``indicator_definitions/stresstest_v1.yaml``, output folder = this
script's folder (writes ``survey.csv``), seed 2026. If ``cases.yaml`` sits next to this
script, regions with a documented good-practice case get a modest lift in that dimension, so
the case library and the data tell the same story.
"""

import argparse
import csv
import random
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_CATALOGUE = HERE.parent / "indicator_definitions" / "stresstest_v1.yaml"
DEFAULT_CASES = HERE / "cases.yaml"
DEFAULT_SEED = 2026

REGIONS = [
    ("R01", "Valdoria"),
    ("R02", "Nordmark Vale"),
    ("R03", "Estravia"),
    ("R04", "Lunegard"),
    ("R05", "Corvanne"),
    ("R06", "Brellin Coast"),
    ("R07", "Saldenmark"),
    ("R08", "Tirovia Basin"),
    ("R09", "Kelmarsk"),
    ("R10", "Morvaine"),
    ("R11", "Quelsund Isles"),
    ("R12", "Aurenthal"),
    ("R13", "Pellavia"),
    ("R14", "Drummerin Heights"),
    ("R15", "Sarvona Lakes"),
    ("R16", "Hallenstrand"),
    ("R17", "Vintressa"),
    ("R18", "Carrowmede"),
    ("R19", "Ambrelle Valley"),
    ("R20", "Merrowald Uplands"),
    ("R21", "Zelvaria"),
    ("R22", "Thalmora"),
    ("R23", "Kestrava"),
    ("R24", "Orlenne March"),
    ("R25", "Skaldia"),
    ("R26", "Veldrin"),
]

DEMO_REGION = "R07"          # fixed size and a mixed strong/weak profile
DEMO_SIZE = 40
SMALL_REGION = "R26"         # one group deliberately below min_respondents
SMALL_SIZE = 11
SMALL_GROUP_SIZE = 2
GROUP_LABEL_REGIONS = ("R05", "R18")   # group column holds the label, not the id
ANSWER_LABEL_REGION = "R12"            # ordered answers written as option labels
MIN_SIZE, MAX_SIZE = 10, 60
MIN_PER_GROUP = 3

DONT_KNOW_RATE = 0.06        # share of asked cells answered with the first missing code
BLANK_RATE = 0.05            # share of asked cells left blank
DROPOUT_RATE = 0.02          # respondents who abandon the questionnaire early

# Used only when the catalogue has groups with these ids; otherwise groups share equally.
GROUP_SHARE_HINTS = {"policy": 0.2, "operational": 0.5, "intermediate": 0.3}
# Perspective shifts in score units on a 0..4 range: (group id, dimension id or None for all).
PERSPECTIVE_HINTS = {
    ("policy", None): 0.15,
    ("policy", "alignment"): 0.3,
    ("operational", "implementation"): -0.35,
    ("operational", "impact"): -0.1,
    ("intermediate", "monitoring"): -0.1,
}

# Spread of the latent levels, in score units on a 0..4 range (rescaled to the catalogue).
SD_REGION = 0.3              # general quality of a region's S3 approach
SD_REGION_DIMENSION = 0.3    # region's deviation in one dimension
SD_REGION_INDICATOR = 0.25   # region's deviation in one indicator
SD_GROUP_DIMENSION = 0.08    # unexplained group perspective per dimension
SD_QUESTION = 0.2            # some questions are simply harder to agree with
SD_RESPONDENT = 0.3          # a respondent's general optimism
SD_ITEM = 0.75               # answer noise
OUTLIERS_PER_DIMENSION = 2
OUTLIER_SHIFT = (1.4, 1.8)
DEMO_SHIFT = 0.95
CASE_LIFT = 0.45


def parse_args(argv=None):
    """Read the command line."""
    parser = argparse.ArgumentParser(description="Write a synthetic StressTest survey export.")
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE,
                        help="indicator catalogue YAML (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=HERE,
                        help="output folder for survey.csv (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="random seed (default: %(default)s)")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES,
                        help="optional case library; its regions get a lift in the case's "
                             "dimension (default: %(default)s, skipped if absent)")
    return parser.parse_args(argv)


def load_catalogue(path):
    """Load the parts of the catalogue the generator needs, failing with a clear message."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: expected a YAML mapping at the top level")
    for key in ("groups", "scales", "dimensions", "questions"):
        if not data.get(key):
            raise SystemExit(f"{path}: missing or empty '{key}'")
    score = data.get("score") or {}
    smin, smax = float(score.get("min", 0)), float(score.get("max", 4))
    indicator_dimension = {}
    for dim in data["dimensions"]:
        for ind in dim.get("indicators") or []:
            indicator_dimension[ind["id"]] = dim["id"]
    group_ids = [g["id"] for g in data["groups"]]
    for i, q in enumerate(data["questions"]):
        if q.get("indicator") not in indicator_dimension:
            raise SystemExit(f"{path}: questions[{i}].indicator: unknown '{q.get('indicator')}'")
        if q.get("scale") not in data["scales"]:
            raise SystemExit(f"{path}: questions[{i}].scale: unknown '{q.get('scale')}'")
        unknown = [g for g in (q.get("texts") or {}) if g not in group_ids]
        if unknown:
            raise SystemExit(f"{path}: questions[{i}].texts: unknown groups {unknown}")
    return {
        "groups": data["groups"],
        "scales": data["scales"],
        "dimensions": [d["id"] for d in data["dimensions"]],
        "indicators": indicator_dimension,
        "questions": data["questions"],
        "min": smin,
        "max": smax,
    }


def load_cases(path, region_codes, dimensions):
    """Return (region, dimension) pairs from the case library, or nothing if it is absent."""
    if not path or not Path(path).is_file():
        return []
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return [(c["region"], c["dimension"]) for c in data.get("cases") or []
            if c.get("region") in region_codes and c.get("dimension") in dimensions]


def group_shares(groups):
    """Share of each group in a region's sample."""
    ids = [g["id"] for g in groups]
    if all(str(i).lower() in GROUP_SHARE_HINTS for i in ids):
        raw = [GROUP_SHARE_HINTS[str(i).lower()] for i in ids]
    else:
        raw = [1.0] * len(ids)
    total = sum(raw)
    return {i: r / total for i, r in zip(ids, raw)}


def allocate(size, shares, fixed=None):
    """Split a region's respondents over groups: at least MIN_PER_GROUP each unless fixed."""
    fixed = fixed or {}
    counts = dict(fixed)
    free = [g for g in shares if g not in fixed]
    remaining = size - sum(fixed.values())
    free_share = sum(shares[g] for g in free)
    for g in free:
        counts[g] = max(MIN_PER_GROUP, round(remaining * shares[g] / free_share))
    # Absorb rounding in the largest free group.
    largest = max(free, key=lambda g: shares[g])
    counts[largest] += size - sum(counts.values())
    return {g: counts[g] for g in shares}


def plan_regions(rng, groups):
    """Decide each region's sample size and group counts."""
    shares = group_shares(groups)
    smallest = min(shares, key=lambda g: shares[g])
    floor = max(MIN_SIZE, MIN_PER_GROUP * len(shares) + 1)
    plans = []
    for code, name in REGIONS:
        if code == DEMO_REGION:
            size = DEMO_SIZE
            counts = allocate(size, shares)
        elif code == SMALL_REGION:
            size = max(SMALL_SIZE, SMALL_GROUP_SIZE + MIN_PER_GROUP * (len(shares) - 1))
            counts = allocate(size, shares, {smallest: SMALL_GROUP_SIZE})
        else:
            size = max(floor, round(rng.triangular(MIN_SIZE, MAX_SIZE, 22)))
            counts = allocate(size, shares)
        plans.append({"code": code, "name": name, "counts": counts})
    return plans


def perspective(group_id, dimension_id, unit):
    """Built-in perspective shift of a group on a dimension, if the ids match the hints."""
    g = str(group_id).lower()
    shift = PERSPECTIVE_HINTS.get((g, None), 0.0)
    shift += PERSPECTIVE_HINTS.get((g, str(dimension_id).lower()), 0.0)
    return shift * unit


def demo_profile(dimensions):
    """Pick the demo region's strong and weak dimensions by position in the catalogue."""
    n = len(dimensions)
    if n >= 5:
        return [dimensions[1], dimensions[3]], [dimensions[2], dimensions[4]]
    if n >= 2:
        return [dimensions[0]], [dimensions[-1]]
    return [], []


def latent_levels(rng, cat, plans, cases):
    """Latent score of every region on every indicator, on the catalogue's score range."""
    unit = (cat["max"] - cat["min"]) / 4.0
    lo, hi = cat["min"] + 0.2 * unit, cat["max"] - 0.2 * unit   # keep some spread at the ends
    dims = cat["dimensions"]
    centre = {d: cat["min"] + unit * rng.uniform(1.7, 2.5) for d in dims}
    strong, weak = demo_profile(dims)
    case_pairs = set(cases)

    dim_level = {}
    for plan in plans:
        code = plan["code"]
        general = rng.gauss(0, SD_REGION * unit)
        for d in dims:
            if code == DEMO_REGION:
                shift = DEMO_SHIFT if d in strong else -DEMO_SHIFT if d in weak else 0.0
                level = centre[d] + shift * unit + rng.gauss(0, 0.1 * unit)
            else:
                level = centre[d] + general + rng.gauss(0, SD_REGION_DIMENSION * unit)
                if (code, d) in case_pairs:
                    level += CASE_LIFT * unit
            dim_level[code, d] = level

    # A couple of clear outliers per dimension, never the demo region or a case holder there.
    outliers = []
    for d in dims:
        candidates = [p["code"] for p in plans
                      if p["code"] != DEMO_REGION and (p["code"], d) not in case_pairs]
        for code in rng.sample(candidates, min(OUTLIERS_PER_DIMENSION, len(candidates))):
            sign = rng.choice((-1, 1))
            dim_level[code, d] = centre[d] + sign * rng.uniform(*OUTLIER_SHIFT) * unit
            outliers.append((d, code, "high" if sign > 0 else "low"))

    level = {}
    for plan in plans:
        code = plan["code"]
        sd = SD_REGION_INDICATOR * unit * (0.5 if code == DEMO_REGION else 1.0)
        for ind, d in cat["indicators"].items():
            value = dim_level[code, d] + rng.gauss(0, sd)
            level[code, ind] = min(hi, max(lo, value))
    return level, outliers


def option_text(option, as_label):
    """Cell text for one option: its code, or its label when labels are requested."""
    return str(option["label"] if as_label else option["code"])


def substantive_answer(rng, scale, x, smin, smax, as_label):
    """Turn a latent score into an answer on the scale; '' means nothing was selected."""
    kind = scale.get("type")
    options = scale.get("options") or []
    if kind == "ordered":
        k = len(options)
        index = round((x - smin) / (smax - smin) * (k - 1))
        return option_text(options[min(k - 1, max(0, index))], as_label)
    if kind == "choice":
        best = min(options, key=lambda o: abs(float(o["score"]) - x))
        return option_text(best, False)
    if kind == "multi":
        count = multi_count(rng, scale, x, smin, smax)
        chosen = sorted(rng.sample(range(len(options)), count))
        separator = str(scale.get("separator", "|"))
        return separator.join(str(options[i]["code"]) for i in chosen)
    raise SystemExit(f"unsupported scale type '{kind}'")


def multi_count(rng, scale, x, smin, smax):
    """How many options a respondent with latent score x selects."""
    n = len(scale.get("options") or [])
    thresholds = sorted(scale.get("thresholds") or [], key=lambda t: t["min_count"])
    if not thresholds:
        return min(n, max(0, round((x - smin) / (smax - smin) * n)))
    pick = min(range(len(thresholds)), key=lambda i: abs(float(thresholds[i]["score"]) - x))
    low = min(n, int(thresholds[pick]["min_count"]))
    high = n if pick == len(thresholds) - 1 else int(thresholds[pick + 1]["min_count"]) - 1
    return rng.randint(low, max(low, min(n, high)))


def missing_text(scale, as_label):
    """Cell text for the scale's first non-substantive option, or None if it has none."""
    missing = scale.get("missing") or []
    return option_text(missing[0], as_label) if missing else None


def generate(cat, plans, level, rng):
    """Yield one dict per respondent, plus counters for the summary."""
    unit = (cat["max"] - cat["min"]) / 4.0
    groups = {g["id"]: g for g in cat["groups"]}
    questions = cat["questions"]
    q_offset = {q["id"]: rng.gauss(0, SD_QUESTION * unit) for q in questions}
    q_dk = {q["id"]: DONT_KNOW_RATE * rng.uniform(0.4, 1.6) for q in questions}
    q_blank = {q["id"]: BLANK_RATE * rng.uniform(0.5, 1.5) for q in questions}
    g_shift = {(g, d): perspective(g, d, unit) + rng.gauss(0, SD_GROUP_DIMENSION * unit)
               for g in groups for d in cat["dimensions"]}
    stats = {"asked": 0, "blank": 0, "dont_know": 0, "dk_possible": 0,
             "dropouts": 0, "empty_multi": 0}
    rows = []
    for plan in plans:
        code = plan["code"]
        members = [g for g, n in plan["counts"].items() for _ in range(n)]
        rng.shuffle(members)
        for number, group_id in enumerate(members, start=1):
            group = groups[group_id]
            row = {
                "respondent_id": f"{code}-{number:04d}",
                "region": code,
                "region_name": plan["name"],
                "group": group["label"] if code in GROUP_LABEL_REGIONS else group_id,
            }
            asked = [q for q in questions if group_id in (q.get("texts") or {})]
            # Dropouts only in groups large enough that losing one keeps them above threshold.
            answered_upto = len(asked)
            if plan["counts"][group_id] > MIN_PER_GROUP and rng.random() < DROPOUT_RATE:
                answered_upto = rng.randint(0, max(1, len(asked) // 5))
                stats["dropouts"] += 1
            optimism = rng.gauss(0, SD_RESPONDENT * unit)
            for position, q in enumerate(asked):
                scale = cat["scales"][q["scale"]]
                as_label = code == ANSWER_LABEL_REGION and scale.get("type") == "ordered"
                dk = missing_text(scale, as_label)
                stats["asked"] += 1
                stats["dk_possible"] += dk is not None
                roll = rng.random()
                if position >= answered_upto or roll < q_blank[q["id"]]:
                    value = ""
                elif dk is not None and roll < q_blank[q["id"]] + q_dk[q["id"]]:
                    value = dk
                    stats["dont_know"] += 1
                else:
                    dim = cat["indicators"][q["indicator"]]
                    x = (level[code, q["indicator"]] + g_shift[group_id, dim] + optimism
                         + q_offset[q["id"]] + rng.gauss(0, SD_ITEM * unit))
                    value = substantive_answer(rng, scale, x, cat["min"], cat["max"], as_label)
                    stats["empty_multi"] += value == ""
                stats["blank"] += value == ""
                row[q["id"]] = value
            rows.append(row)
    return rows, stats


def write_csv(path, cat, rows):
    """Write the export: fixed columns, then one column per question in catalogue order."""
    columns = ["respondent_id", "region", "region_name", "group"]
    columns += [q["id"] for q in cat["questions"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def print_summary(path, cat, plans, rows, stats, outliers, seed):
    """Print respondents per region and group and the shares of missing answers."""
    group_ids = [g["id"] for g in cat["groups"]]
    print(f"wrote {path} ({len(rows)} respondents, {len(plans)} regions, seed {seed})")
    width = max(len(g) for g in group_ids) + 2
    print("region " + "".join(f"{g:>{width}}" for g in group_ids) + f"{'total':>{width}}")
    for plan in plans:
        counts = [plan["counts"][g] for g in group_ids]
        cells = "".join(f"{n:>{width}}" for n in counts)
        print(f"{plan['code']:<7}{cells}{sum(counts):>{width}}")
    asked = max(1, stats["asked"])
    print(f"asked cells: {stats['asked']}")
    print(f"blank: {stats['blank'] / asked:.1%} of asked cells "
          f"({stats['dropouts']} respondents dropped out early; "
          f"{stats['empty_multi']} multi answers with nothing selected written blank)")
    print(f"don't know: {stats['dont_know'] / asked:.1%} of asked cells, "
          f"{stats['dont_know'] / max(1, stats['dk_possible']):.1%} of cells whose scale "
          f"has a missing code")
    strong, weak = demo_profile(cat["dimensions"])
    print(f"demo region {DEMO_REGION}: strong in {strong}, weak in {weak}")
    print("outliers: " + ", ".join(f"{d} {c} {s}" for d, c, s in outliers))


def main(argv=None):
    """Generate survey.csv from the catalogue."""
    args = parse_args(argv)
    cat = load_catalogue(args.catalogue)
    rng = random.Random(args.seed)
    cases = load_cases(args.cases, {code for code, _ in REGIONS}, cat["dimensions"])
    plans = plan_regions(rng, cat["groups"])
    level, outliers = latent_levels(rng, cat, plans, cases)
    rows, stats = generate(cat, plans, level, rng)
    path = args.out / "survey.csv"
    write_csv(path, cat, rows)
    print_summary(path, cat, plans, rows, stats, outliers, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
