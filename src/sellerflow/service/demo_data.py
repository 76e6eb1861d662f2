"""The demo marketplace's cast: sellers, their catalogs and habits. Buyers and addresses come
from Faker, seeded."""

from __future__ import annotations

from dataclasses import dataclass

SELLERS = [
    ("Cascade Kitchenware", "professional", "orders@cascade-kitchen.example",
     "America/Los_Angeles"),
    ("Harbor Outdoor Supply", "professional", "ship@harbor-outdoor.example", "America/New_York"),
    ("Maple Street Crafts", "individual", "maple.crafts@example.com", "America/Chicago"),
]

CATALOGS = [
    [("Cast Iron Skillet 12in", "34.99"), ("Chef Knife 8in", "49.00"), ("Bamboo Cutting Board",
     "19.99"), ("Stainless Mixing Bowls (3)", "24.50"), ("Silicone Spatula Set", "12.99"),
     ("French Press 1L", "29.95"), ("Pour-Over Coffee Kettle", "39.00"), ("Measuring Cups Set",
     "9.99"), ("Dutch Oven 6qt", "79.00"), ("Salad Spinner", "22.00"), ("Wooden Spoon Trio",
     "14.00"), ("Ceramic Mug 12oz", "11.50"), ("Glass Storage Jars (4)", "27.99"),
     ("Pepper Mill", "18.75"), ("Sheet Pan Half Size", "16.49"), ("Oven Mitts Pair", "13.25"),
     ("Whisk 11in", "7.99"), ("Tea Towels (6)", "15.99")],
    [("Trail Headlamp 400lm", "27.99"), ("Camping Hammock", "44.00"), ("Insulated Bottle 32oz",
     "32.50"), ("Trekking Poles Pair", "59.99"), ("Compact Stove", "39.95"), ("Dry Bag 20L",
     "21.00"), ("First Aid Kit", "24.99"), ("Sleeping Pad", "69.00"), ("Camp Mug Titanium",
     "26.00"), ("Paracord 100ft", "9.49"), ("Rain Poncho", "12.99"), ("Trail Map Case",
     "8.99"), ("Water Filter Straw", "19.95"), ("Carabiner Set (5)", "11.99"),
     ("Fleece Beanie", "17.50"), ("Wool Hiking Socks (3)", "23.00"), ("Emergency Blanket (4)",
     "10.99")],
    [("Hand-poured Soy Candle", "18.00"), ("Knitted Scarf", "35.00"), ("Beeswax Wraps (3)",
     "16.00"), ("Ceramic Planter Small", "22.00"), ("Leather Bookmark", "9.00"),
     ("Pressed Flower Card Set", "12.00"), ("Macrame Wall Hanging", "48.00"),
     ("Wooden Coasters (4)", "20.00"), ("Linen Tote Bag", "24.00"), ("Lavender Sachets (5)",
     "14.00"), ("Clay Earrings", "19.00"), ("Watercolor Print A4", "28.00"),
     ("Hand-bound Journal", "26.00"), ("Crochet Coaster Set", "15.00"), ("Soap Bar Trio",
     "17.00")],
]



@dataclass(frozen=True)
class Habits:
    """How a demo seller works, so that its account health comes out as intended (L27):
    one in `late_every` orders ships after its ship-by date, one in `invalid_every`
    confirmations has a tracking number that fits no carrier format, one in `cancel_every`
    orders the seller cancels (never in the last week, so the 7-day cancel rate stays clean
    unless meant otherwise); 0 means never."""

    weight: int
    late_every: int
    invalid_every: int
    cancel_every: int
    uploads: bool = False


# Cascade: healthy on every metric, and confirms by file (L21). Harbor: ships a little late
# now and then (late shipment rate at risk). Maple: tracking numbers often mistyped (valid
# tracking rate bad), every other metric fine.
HABITS = [Habits(weight=5, late_every=120, invalid_every=120, cancel_every=150, uploads=True),
          Habits(weight=4, late_every=28, invalid_every=60, cancel_every=0),
          Habits(weight=2, late_every=0, invalid_every=8, cancel_every=0)]


# Each seller's shipping settings: service level -> (per shipment, per item). Levels left out
# charge the defaults.
SHIPPING = [
    {"Standard": ("4.99", "0.99"), "Expedited": ("8.99", "1.49")},
    {"Standard": ("0.00", "0.00"), "Expedited": ("6.99", "1.00"), "SecondDay": ("11.99", "1.00")},
    {"Standard": ("3.50", "0.50")},
]
