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
script's folder, seed 2026. If ``cases.yaml`` sits next to this script, regions with a
documented good-practice case get a modest lift in that dimension, so the case library and the
data tell the same story.

Files written (``--waves 1`` skips the second wave):

``survey.csv``
    Wave 1: all 26 regions. Its content depends only on the catalogue, the case library and
    the seed; adding wave 2 did not change a byte of it.
``survey-wave2.csv``
    Wave 2, a resurvey two years later of 8 regions (R03, R05, R07, R11, R14, R18, R21, R24),
    same columns, same region codes and names, fresh respondent ids (``R07-W2-0001``). It is
    drawn from its own random stream (``seed + 1``), so wave 1 is untouched. Each region's
    sample is within +/-25 % of its wave-1 size (R07 keeps its fixed 40), split over groups
    with the same rules; blanks, don't-knows, dropouts and group labels (R05, R18) follow the
    wave-1 conventions. The questionnaire is the same, so question difficulty and group
    perspectives carry over.
``regions.csv``
    ``code,name,country,nuts`` for all 26 regions. The countries are invented ("Synthland",
    "Arvenia", "Belmora", "Corvalis": names that read alike in every report language) and
    ``nuts`` is left empty: no real NUTS codes.

Intended changes between the waves, in score units on a 0..4 range (rescaled to the
catalogue), applied to each region's wave-1 latent level per dimension (each indicator keeps
its wave-1 deviation from its dimension, plus a little fresh noise):

* R07, the demo region, improves clearly in its two weak dimensions: +0.8 in the first, +0.4
  in the second (alignment and monitoring in stresstest_v1). It declines slightly, -0.3, in
  its last strong dimension (implementation) and stays the same (0.0) in all others.
* R03 declines clearly, -0.7, in the catalogue's second dimension (involvement).
* Every other (region, dimension) of the 7 non-demo regions drifts at random by up to +/-0.3.

The run summary prints the changes actually applied, per region and dimension. Observed
changes also carry sampling noise and are damped where a level hits the ends of the range.
"""

import argparse
import csv
import math
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

# Invented countries for regions.csv, as (country, first region, last region).
COUNTRY_BLOCKS = [
    ("Synthland", "R01", "R07"),
    ("Arvenia", "R08", "R13"),
    ("Belmora", "R14", "R19"),
    ("Corvalis", "R20", "R26"),
]

# Wave 2: a resurvey two years later of a subset of regions, from its own random stream.
WAVE2_REGIONS = ("R03", "R05", "R07", "R11", "R14", "R18", "R21", "R24")
WAVE2_SEED_OFFSET = 1
WAVE2_ID_TAG = "W2"
WAVE2_SIZE_CHANGE = 0.25      # sample size within +/- this share of the wave-1 size
WAVE2_DEMO_WEAK = (0.8, 0.4)  # demo region's change in its first and second weak dimension
WAVE2_DEMO_STRONG = -0.3      # demo region's change in its last strong dimension
WAVE2_DECLINE = ("R03", 1, -0.7)   # (region, dimension position in catalogue, change)
WAVE2_DRIFT = 0.3             # other regions: uniform drift within +/- this per dimension
WAVE2_SD_INDICATOR = 0.1      # fresh indicator noise on top of wave 1 (halved for the demo)

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
                        help="output folder for survey.csv, survey-wave2.csv and regions.csv "
                             "(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="random seed (default: %(default)s)")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES,
                        help="optional case library; its regions get a lift in the case's "
                             "dimension (default: %(default)s, skipped if absent)")
    parser.add_argument("--waves", type=int, choices=(1, 2), default=2,
                        help="how many survey waves to write; 1 writes only survey.csv and "
                             "regions.csv (default: %(default)s)")
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
    """Latent score of every region on every indicator, on the catalogue's score range.

    Returns the clamped levels, the outliers and the unclamped levels (wave 2 starts there).
    """
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

    level, raw = {}, {}
    for plan in plans:
        code = plan["code"]
        sd = SD_REGION_INDICATOR * unit * (0.5 if code == DEMO_REGION else 1.0)
        for ind, d in cat["indicators"].items():
            value = dim_level[code, d] + rng.gauss(0, sd)
            raw[code, ind] = value
            level[code, ind] = min(hi, max(lo, value))
    return level, outliers, raw


def plan_wave2(rng, groups, plans):
    """Wave-2 sample of each resurveyed region: within +/-WAVE2_SIZE_CHANGE of wave 1."""
    shares = group_shares(groups)
    floor = max(MIN_SIZE, MIN_PER_GROUP * len(shares) + 1)
    wave1 = {p["code"]: sum(p["counts"].values()) for p in plans}
    plans2 = []
    for code, name in REGIONS:
        if code not in WAVE2_REGIONS:
            continue
        before = wave1[code]
        low = math.ceil(before * (1 - WAVE2_SIZE_CHANGE))
        high = math.floor(before * (1 + WAVE2_SIZE_CHANGE))
        size = round(before * rng.uniform(1 - WAVE2_SIZE_CHANGE, 1 + WAVE2_SIZE_CHANGE))
        if code == DEMO_REGION:
            size = DEMO_SIZE      # the demo region keeps its fixed size, as in wave 1
        size = max(floor, min(high, max(low, size)))
        plans2.append({"code": code, "name": name, "counts": allocate(size, shares),
                       "wave1": before})
    return plans2


def wave2_changes(rng, cat, plans2):
    """Intended change of every wave-2 region on every dimension, in catalogue score units."""
    unit = (cat["max"] - cat["min"]) / 4.0
    dims = cat["dimensions"]
    strong, weak = demo_profile(dims)
    decline_code, decline_pos, decline_shift = WAVE2_DECLINE
    decline_dim = dims[decline_pos % len(dims)]
    changes = {}
    for plan in plans2:
        code = plan["code"]
        for d in dims:
            if code == DEMO_REGION:
                shift = 0.0
                if d in weak:
                    shift = WAVE2_DEMO_WEAK[min(weak.index(d), len(WAVE2_DEMO_WEAK) - 1)]
                elif strong and d == strong[-1]:
                    shift = WAVE2_DEMO_STRONG
            elif (code, d) == (decline_code, decline_dim):
                shift = decline_shift
            else:
                shift = rng.uniform(-WAVE2_DRIFT, WAVE2_DRIFT)
            changes[code, d] = shift * unit
    return changes


def wave2_levels(rng, cat, plans2, raw, changes):
    """Wave-2 latent indicator levels: wave-1 level plus the dimension's change and noise."""
    unit = (cat["max"] - cat["min"]) / 4.0
    lo, hi = cat["min"] + 0.2 * unit, cat["max"] - 0.2 * unit
    level = {}
    for plan in plans2:
        code = plan["code"]
        sd = WAVE2_SD_INDICATOR * unit * (0.5 if code == DEMO_REGION else 1.0)
        for ind, d in cat["indicators"].items():
            value = raw[code, ind] + changes[code, d] + rng.gauss(0, sd)
            level[code, ind] = min(hi, max(lo, value))
    return level


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


def questionnaire_params(rng, cat):
    """Per-question difficulty, don't-know and blank rates and group perspectives.

    They belong to the questionnaire, so both waves share them.
    """
    unit = (cat["max"] - cat["min"]) / 4.0
    groups = {g["id"]: g for g in cat["groups"]}
    questions = cat["questions"]
    q_offset = {q["id"]: rng.gauss(0, SD_QUESTION * unit) for q in questions}
    q_dk = {q["id"]: DONT_KNOW_RATE * rng.uniform(0.4, 1.6) for q in questions}
    q_blank = {q["id"]: BLANK_RATE * rng.uniform(0.5, 1.5) for q in questions}
    g_shift = {(g, d): perspective(g, d, unit) + rng.gauss(0, SD_GROUP_DIMENSION * unit)
               for g in groups for d in cat["dimensions"]}
    return {"q_offset": q_offset, "q_dk": q_dk, "q_blank": q_blank, "g_shift": g_shift}


def generate(cat, plans, level, rng, params, id_tag=""):
    """Yield one dict per respondent, plus counters for the summary."""
    unit = (cat["max"] - cat["min"]) / 4.0
    groups = {g["id"]: g for g in cat["groups"]}
    questions = cat["questions"]
    q_offset, q_dk = params["q_offset"], params["q_dk"]
    q_blank, g_shift = params["q_blank"], params["g_shift"]
    prefix = f"{id_tag}-" if id_tag else ""
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
                "respondent_id": f"{code}-{prefix}{number:04d}",
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


def write_regions(path):
    """Write regions.csv: code, name, invented country and an empty NUTS code."""
    order = [code for code, _ in REGIONS]
    country = {}
    for name, first, last in COUNTRY_BLOCKS:
        for code in order[order.index(first):order.index(last) + 1]:
            country[code] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "country", "nuts"])
        for code, name in REGIONS:
            writer.writerow([code, name, country.get(code, ""), ""])


def print_counts(cat, plans, stats, compare=False):
    """Print respondents per region and group and the shares of missing answers."""
    group_ids = [g["id"] for g in cat["groups"]]
    width = max(len(g) for g in group_ids) + 2
    header = "region " + "".join(f"{g:>{width}}" for g in group_ids) + f"{'total':>{width}}"
    print(header + (f"{'wave 1':>{width}}{'change':>{width}}" if compare else ""))
    for plan in plans:
        counts = [plan["counts"][g] for g in group_ids]
        cells = "".join(f"{n:>{width}}" for n in counts)
        line = f"{plan['code']:<7}{cells}{sum(counts):>{width}}"
        if compare:
            change = f"{sum(counts) / plan['wave1'] - 1:+.0%}"
            line += f"{plan['wave1']:>{width}}{change:>{width}}"
        print(line)
    asked = max(1, stats["asked"])
    print(f"asked cells: {stats['asked']}")
    print(f"blank: {stats['blank'] / asked:.1%} of asked cells "
          f"({stats['dropouts']} respondents dropped out early; "
          f"{stats['empty_multi']} multi answers with nothing selected written blank)")
    print(f"don't know: {stats['dont_know'] / asked:.1%} of asked cells, "
          f"{stats['dont_know'] / max(1, stats['dk_possible']):.1%} of cells whose scale "
          f"has a missing code")


def print_summary(path, cat, plans, rows, stats, outliers, seed):
    """Print the wave-1 summary: sample, missing answers, demo profile and outliers."""
    print(f"wrote {path} ({len(rows)} respondents, {len(plans)} regions, seed {seed})")
    print_counts(cat, plans, stats)
    strong, weak = demo_profile(cat["dimensions"])
    print(f"demo region {DEMO_REGION}: strong in {strong}, weak in {weak}")
    print("outliers: " + ", ".join(f"{d} {c} {s}" for d, c, s in outliers))


def print_wave2_summary(path, cat, plans2, rows, stats, changes, seed):
    """Print the wave-2 summary: sample against wave 1 and the intended level changes."""
    unit = (cat["max"] - cat["min"]) / 4.0
    print(f"wrote {path} ({len(rows)} respondents, {len(plans2)} regions, seed {seed})")
    print_counts(cat, plans2, stats, compare=True)
    dims = cat["dimensions"]
    width = max(len(d) for d in dims) + 2
    print("intended latent change from wave 1 (score units on a 0..4 range):")
    print("region " + "".join(f"{d:>{width}}" for d in dims))
    for plan in plans2:
        cells = "".join(f"{changes[plan['code'], d] / unit:>+{width}.2f}" for d in dims)
        print(f"{plan['code']:<7}{cells}")
    strong, weak = demo_profile(dims)
    demo = ", ".join(f"{d} {changes[DEMO_REGION, d] / unit:+.1f}" for d in dims
                     if (DEMO_REGION, d) in changes and changes[DEMO_REGION, d])
    print(f"demo region {DEMO_REGION}: {demo or 'no changes'}; others unchanged")
    code, pos, shift = WAVE2_DECLINE
    if code in {p["code"] for p in plans2}:
        print(f"clear decline: {code} {dims[pos % len(dims)]} {shift:+.1f}")


def main(argv=None):
    """Generate survey.csv, survey-wave2.csv and regions.csv from the catalogue."""
    args = parse_args(argv)
    cat = load_catalogue(args.catalogue)
    rng = random.Random(args.seed)
    cases = load_cases(args.cases, {code for code, _ in REGIONS}, cat["dimensions"])
    plans = plan_regions(rng, cat["groups"])
    level, outliers, raw = latent_levels(rng, cat, plans, cases)
    params = questionnaire_params(rng, cat)
    rows, stats = generate(cat, plans, level, rng, params)
    path = args.out / "survey.csv"
    write_csv(path, cat, rows)
    print_summary(path, cat, plans, rows, stats, outliers, args.seed)

    if args.waves >= 2:
        # Own stream, drawn only after wave 1 is complete: wave 1 never sees it.
        rng2 = random.Random(args.seed + WAVE2_SEED_OFFSET)
        plans2 = plan_wave2(rng2, cat["groups"], plans)
        changes = wave2_changes(rng2, cat, plans2)
        level2 = wave2_levels(rng2, cat, plans2, raw, changes)
        rows2, stats2 = generate(cat, plans2, level2, rng2, params, id_tag=WAVE2_ID_TAG)
        path2 = args.out / "survey-wave2.csv"
        write_csv(path2, cat, rows2)
        print()
        print_wave2_summary(path2, cat, plans2, rows2, stats2, changes,
                            args.seed + WAVE2_SEED_OFFSET)

    regions_path = args.out / "regions.csv"
    write_regions(regions_path)
    print()
    print(f"wrote {regions_path} ({len(REGIONS)} regions, invented countries, no NUTS codes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
