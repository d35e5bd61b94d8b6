#!/usr/bin/env python3
"""Generates a world like shared/data/world-small, at any size: a CRM (users, accounts,
contacts with valid 18-character Salesforce ids), one contacts file per rep with the noise reps
really make (nicknames, one-letter typos, upper-cased names and emails, stray spaces, every phone
format, company suffix variants, missing emails, rows repeated in one file, the same new person in
several reps' files, rows that cannot become a contact), and truth.csv naming what a correct sync
does with every row. Standard library only; deterministic for a seed.

  generate_world.py OUT_DIR [--contacts N] [--reps N] [--rows N] [--seed N]
"""
import argparse
import csv
import os
import random

FIRST = ["Robert", "William", "Elizabeth", "Katherine", "Michael", "James", "Jennifer", "Thomas",
         "Margaret", "Richard", "Joseph", "Patricia", "Daniel", "Susan", "Christopher", "Anthony",
         "Andrew", "Rebecca", "Jonathan", "Alexander", "Samantha", "Nicholas", "Victoria",
         "Benjamin", "Ingrid", "Aisha", "José", "Björn", "Chloé", "Mateo", "Priya", "Wei", "Olga"]
NICK = {"Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate",
        "Michael": "Mike", "James": "Jim", "Jennifer": "Jen", "Thomas": "Tom", "Margaret": "Peggy",
        "Richard": "Rick", "Joseph": "Joe", "Patricia": "Pat", "Daniel": "Dan", "Susan": "Sue",
        "Christopher": "Chris", "Anthony": "Tony", "Andrew": "Andy", "Rebecca": "Becky",
        "Jonathan": "Jon", "Alexander": "Alex", "Samantha": "Sam", "Nicholas": "Nick",
        "Victoria": "Vicky", "Benjamin": "Ben"}
LAST_PARTS = ["son", "ley", "ford", "man", "ton", "berg", "ski", "ez", "ini", "sen", "er", "well"]
LAST_ROOTS = ["Ander", "Bright", "Carl", "Dal", "Eck", "Fair", "Gold", "Hart", "Ives", "Jen",
              "Kirk", "Lind", "Mor", "Nor", "Oak", "Pem", "Quin", "Ross", "Stan", "Thorn", "Ul",
              "Vance", "Whit", "Yar", "Zell", "Brook", "Crane", "Dun", "Ell", "Frost", "Abbot",
              "Bishop", "Cole", "Drake", "Elton", "Finch", "Graves", "Hollis", "Ingram", "Jarvis",
              "Keller", "Lowry", "Mercer", "Nash", "Osborn", "Prentice", "Radley", "Sutter",
              "Tully", "Upton", "Voss", "Wagner", "Yates", "Zimmer", "Okafor", "Nguyen", "Rossi",
              "Muller", "Silva", "Kowal", "Haddad", "Tanaka", "Moreau", "Lindqvist", "Petrov"]
COMPANY_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Hooli",
                 "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Aperture", "Massive", "Dynamic",
                 "Pioneer", "Summit", "Harbor", "Granite", "Cedar", "Falcon", "Beacon", "Orbit"]
COMPANY_SUFFIX = ["Inc.", "Corp", "Corporation", "LLC", "Ltd", "GmbH", "Holdings", "Systems", ""]
TITLES = ["Buyer", "Head of Purchasing", "Operations Manager", "CFO", "IT Director", "Engineer"]
ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def sf_id(prefix, n):
    """An 18-character case-safe Salesforce id: 15 characters plus the checksum suffix."""
    body = ""
    for _ in range(9):
        body = ID_CHARS[n % 62] + body
        n //= 62
    base = prefix + "5g" + "0" + body
    base = base[:15]
    suffix = ""
    for chunk in range(3):
        bits = 0
        for i, c in enumerate(base[chunk * 5:chunk * 5 + 5]):
            if "A" <= c <= "Z":
                bits |= 1 << i
        suffix += SUFFIX_CHARS[bits]
    return base + suffix


def phone_formats(rng, digits):
    area, mid, last = digits[:3], digits[3:6], digits[6:]
    return rng.choice([f"({area}) {mid}-{last}", f"{area}-{mid}-{last}", f"{area}.{mid}.{last}",
                       f"+1 {area} {mid} {last}", f"{area}{mid}{last}", f"1-{area}-{mid}-{last}"])


def typo(rng, name):
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i] + name[i:]          # doubled letter
    if kind == 1:
        return name[:i] + name[i + 1:]                # dropped letter
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]  # swapped letters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--rows", type=int, default=300, help="rows per rep file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "crm"), exist_ok=True)

    reps = []
    with open(os.path.join(args.out, "crm", "users.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Id", "FirstName", "LastName", "Email", "Username"])
        for r in range(args.reps):
            first, last = FIRST[r % len(FIRST)], f"Rep{r}"
            email = f"{first.lower()}.rep{r}@acme.example"
            uid = sf_id("005", 1000 + r)
            w.writerow([uid, first, last, email, email + ".crm"])
            reps.append((email, uid))

    companies = []
    used_company = set()
    while len(companies) < max(10, args.contacts // 20):
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(LAST_ROOTS)}{rng.choice(['', 'ex', 'ia'])}"
        if name in used_company:
            continue
        used_company.add(name)
        suffix = rng.choice(COMPANY_SUFFIX)
        companies.append((sf_id("001", 5000 + len(companies)), name, suffix))
    with open(os.path.join(args.out, "crm", "accounts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Id", "Name", "OwnerId"])
        for cid, name, suffix in companies:
            w.writerow([cid, (name + " " + suffix).strip(), rng.choice(reps)[1]])

    used_names, used_emails, used_phones = set(), set(), set()
    lasts_of = {}  # first name -> last names already used with it

    def near(a, b):
        """Within two edits: people the truth could not tell apart from a typo."""
        if abs(len(a) - len(b)) > 2:
            return False
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1] <= 2

    def person():
        tries = 0
        while True:
            tries += 1
            first = rng.choice(FIRST)
            last = rng.choice(LAST_ROOTS) + rng.choice(LAST_PARTS)
            company = rng.choice(companies)
            if (first, last) in used_names:
                continue
            # Two people whose names are a typo apart cannot be told apart by anyone: the truth
            # would be a guess. (After many tries the world is crowded; accept and move on.)
            if tries < 500 and any(near(last.lower(), other) for other in lasts_of.get(first, [])):
                continue
            domain = company[1].lower().replace(" ", "") + ".example.com"
            email = f"{first.lower()[0]}{last.lower()}@{domain}".replace("é", "e").replace(
                "ö", "o").replace("ó", "o")
            phone = f"{rng.randrange(201, 989)}{rng.randrange(200, 999)}{rng.randrange(0, 9999):04d}"
            if email in used_emails or phone in used_phones:
                continue
            used_names.add((first, last))
            lasts_of.setdefault(first, []).append(last.lower())
            used_emails.add(email)
            used_phones.add(phone)
            return {"first": first, "last": last, "email": email, "phone": phone,
                    "company": company, "title": rng.choice(TITLES)}

    crm = []
    with open(os.path.join(args.out, "crm", "contacts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Id", "FirstName", "LastName", "Email", "Phone", "Title", "AccountId",
                    "AccountName", "OwnerId"])
        for n in range(args.contacts):
            p = person()
            p["id"] = sf_id("003", 100000 + n)
            crm.append(p)
            w.writerow([p["id"], p["first"], p["last"], p["email"], "+1" + p["phone"], p["title"],
                        p["company"][0], (p["company"][1] + " " + p["company"][2]).strip(),
                        rng.choice(reps)[1]])

    shared_new = [person() for _ in range(max(2, args.rows // 20))]  # in several reps' files
    truth = []
    cluster_of = {}

    def cluster(p):
        key = p["email"]
        if key not in cluster_of:
            cluster_of[key] = f"N{len(cluster_of):05d}"
        return cluster_of[key]

    def row_cells(p, noisy):
        first, last, email = p["first"], p["last"], p["email"]
        company = p["company"][1] + (" " + rng.choice(COMPANY_SUFFIX) if rng.random() < 0.5 else "")
        phone = phone_formats(rng, p["phone"])
        if noisy:
            if first in NICK and rng.random() < 0.3:
                first = NICK[first]
            if rng.random() < 0.15:
                last = last.upper()
            if rng.random() < 0.15:
                email = email.upper() if rng.random() < 0.5 else " " + email + " "
            if rng.random() < 0.2:
                company = company.upper()
        return [first, last, email, phone, company.strip(), p["title"]]

    for r, (rep_email, _) in enumerate(reps):
        folder = os.path.join(args.out, "inbox", rep_email)
        os.makedirs(folder, exist_ok=True)
        rows = []
        for _ in range(args.rows):
            roll = rng.random()
            if roll < 0.55:                      # an existing CRM contact
                p = rng.choice(crm)
                cells = row_cells(p, True)
                if rng.random() < 0.15:
                    cells[1] = typo(rng, p["last"])  # a typo, but the email still says who
                if rng.random() < 0.1:
                    cells[2] = ""                    # no email: the phone says who
                rows.append((cells, "match:" + p["id"]))
            elif roll < 0.70:                    # a new person several reps know
                p = rng.choice(shared_new)
                rows.append((row_cells(p, True), "new:" + cluster(p)))
            elif roll < 0.97:                    # a new person only this rep knows
                p = person()
                rows.append((row_cells(p, True), "new:" + cluster(p)))
                if rng.random() < 0.05:          # repeated in the same file
                    rows.append((row_cells(p, False), "new:" + cluster(p)))
            else:                                # no identity: nothing to make a contact of
                rows.append((["", "", "", "", rng.choice(companies)[1], "TBD"],
                             "reject:no-identity"))
        with open(os.path.join(folder, "contacts.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["First Name", "Last Name", "E-mail", "Telephone", "Company", "Position"])
            for i, (cells, expect) in enumerate(rows):
                w.writerow(cells)
                truth.append([rep_email, "contacts.csv", "", i + 2, expect])

    with open(os.path.join(args.out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["rep", "file", "sheet", "row", "expect"])
        w.writerows(truth)
    print(f"world: {len(crm)} CRM contacts, {len(companies)} accounts, {len(reps)} reps, "
          f"{len(truth)} rows, {len(cluster_of)} new people -> {args.out}")


if __name__ == "__main__":
    main()
