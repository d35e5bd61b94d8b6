#!/usr/bin/env python3
"""Writes the end-to-end benchmark's input: N contacts as a rep's XLSX workbook (what crmsync
reads) and the same contacts as a Bulk API CSV with Salesforce field names (what jsforce loads).
Every contact is a new, distinct person (random last names never a typo apart), so both sides
write exactly N records.   make_workbook.py ROWS OUT.xlsx OUT.csv

The sheet says its used range (<dimension ref="A1:E{N+1}"/>) before its rows, as Excel and
LibreOffice write it; openpyxl's write-only mode leaves it out, so it is added afterwards."""
import csv
import os
import random
import sys
import zipfile

from openpyxl import Workbook

FIRST = ["Robert", "Maria", "John", "Anna", "James", "Linda", "Michael", "Sarah", "David",
         "Laura", "William", "Emma", "Richard", "Olivia", "Joseph", "Sophia", "Thomas", "Chloe"]


def main():
    rows, xlsx_path, csv_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(42)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    sheet.append(["First Name", "Last Name", "Email", "Phone", "Title"])
    with open(csv_path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["FirstName", "LastName", "Email", "Phone", "Title"])
        for i in range(rows):
            first = FIRST[i % len(FIRST)]
            last = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)).title()
            email = f"{first.lower()}.{last.lower()}.{i}@bench.example"
            phone = f"+1{rng.randrange(201, 989)}{rng.randrange(200, 999)}{i % 10000:04d}"
            sheet.append([first, last, email, phone, "Buyer"])
            out.writerow([first, last, email, phone, "Buyer"])
    book.save(xlsx_path)
    add_dimension(xlsx_path, f"A1:E{rows + 1}")


def add_dimension(xlsx_path, used_range):
    """Rewrites the workbook with <dimension> before the first sheet's <sheetData>."""
    written = xlsx_path + ".partial"
    with zipfile.ZipFile(xlsx_path) as source, \
            zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>",
                                    f'<dimension ref="{used_range}"/><sheetData>'.encode(), 1)
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    os.replace(written, xlsx_path)


if __name__ == "__main__":
    main()
