"""The campus described in building-data vocabularies (Brick with RealEstateCore)."""
