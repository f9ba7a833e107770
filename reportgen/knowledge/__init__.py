"""The region's knowledge space: specialisation, relatedness, complexity, where to diversify."""
