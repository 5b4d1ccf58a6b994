"""Where the synthetic people live: streets with real postcode districts and
synthetic sectors, and coordinates inside each town."""

from dataclasses import dataclass

from . import data
from .chance import weighted


@dataclass
class Street:
    name: str
    houses: int
    lat: float
    lon: float
    dlat: float
    dlon: float
    postcodes: list


class Places:
    """Each town's streets, with postcodes in the town's real district and
    synthetic sectors, and a line of coordinates inside the town."""

    HOUSES_PER_POSTCODE = 15

    def __init__(self, rng, expected_addresses, towns=None):
        # Another list of towns (data.OUT_OF_AREA_TOWNS) gives addresses outside the partnership.
        towns = towns or data.TOWNS
        total_pop = sum(t.population for t in towns)
        combos = [f"{stem} {suffix}" for stem in data.STREET_STEMS for suffix in data.STREET_SUFFIXES]
        self.towns = towns
        self.weights = [(t, t.population) for t in towns]
        self.streets = {}
        for town in towns:
            expected = expected_addresses * town.population / total_pop
            n_streets = min(len(combos), max(25, round(expected / 60)))
            names = rng.sample(combos, n_streets)
            pool = [
                f"{district} {digit}{a}{b}"
                for district, digits in town.districts
                for digit in digits
                for a in data.POSTCODE_UNIT_LETTERS
                for b in data.POSTCODE_UNIT_LETTERS
            ]
            rng.shuffle(pool)
            per_street = max(1.0, expected / n_streets)
            streets, used = [], 0
            for name in names:
                houses = max(8, int(per_street / 2.4 * rng.uniform(0.5, 1.5)))
                n_codes = (houses - 1) // self.HOUSES_PER_POSTCODE + 1
                codes = [pool[(used + k) % len(pool)] for k in range(n_codes)]
                used += n_codes
                lat = rng.uniform(town.south, town.north)
                lon = rng.uniform(town.west, town.east)
                streets.append(
                    Street(name, houses, lat, lon, rng.uniform(-0.004, 0.004), rng.uniform(-0.006, 0.006), codes)
                )
            self.streets[town.name] = streets
        self.by_name = {t.name: t for t in towns}

    def town(self, rng):
        return weighted(rng, self.weights)

    def address(self, rng, town=None):
        town = town or self.town(rng)
        street = rng.choice(self.streets[town.name])
        number = rng.randint(1, street.houses)
        along = number / street.houses - 0.5
        lat = min(max(street.lat + along * street.dlat + rng.uniform(-0.0003, 0.0003), town.south), town.north)
        lon = min(max(street.lon + along * street.dlon + rng.uniform(-0.0003, 0.0003), town.west), town.east)
        line1 = f"{number} {street.name}"
        if rng.random() < data.FLAT_SHARE:
            line1 = f"Flat {rng.randint(1, 12)}, {line1}"
        return {
            "line1": line1,
            "town": town.name,
            "postcode": street.postcodes[(number - 1) // self.HOUSES_PER_POSTCODE],
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
        }
