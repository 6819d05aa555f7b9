"""The campus in the vocabularies of building data: Brick with RealEstateCore."""
