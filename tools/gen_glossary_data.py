#!/usr/bin/env python3
"""Write data/currencies.csv and data/countries.csv from pycountry (ISO 4217 / ISO 3166 data),
adding ISO 4217 minor units, which pycountry does not carry. Run once; the CSVs are committed.
Needs `pip install pycountry`."""
import csv
import os

import pycountry

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

# ISO 4217 minor units that are not 2 (the rest are 2; X* funds/metals without units are "N.A." → 0).
MINOR = {
    **{c: 0 for c in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()},
    **{c: 3 for c in "BHD IQD JOD KWD LYD OMR TND".split()},
    **{c: 4 for c in "CLF UYW".split()},
    **{c: 0 for c in "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split()},
}

with open(os.path.join(DATA, "currencies.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["numeric", "alpha", "exponent", "name"])
    for c in sorted(pycountry.currencies, key=lambda c: c.numeric):
        w.writerow([c.numeric, c.alpha_3, MINOR.get(c.alpha_3, 2), c.name])

with open(os.path.join(DATA, "countries.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["numeric", "alpha2", "alpha3", "name"])
    for c in sorted(pycountry.countries, key=lambda c: c.numeric):
        w.writerow([c.numeric, c.alpha_2, c.alpha_3, c.name])
