"""Placing a point on the registry's map."""

from __future__ import annotations

from hotline.grids.geo import MappedUnit, distance_m, inside, locate

SQUARE = [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]
L_SHAPE = [[0, 0], [0, 2], [1, 2], [1, 1], [2, 1], [2, 0]]


def test_inside_a_square_and_a_concave_shape() -> None:
    assert inside(0.5, 0.5, SQUARE)
    assert not inside(1.5, 0.5, SQUARE) and not inside(0.5, -0.1, SQUARE)
    assert inside(1.5, 0.5, L_SHAPE) and inside(0.5, 1.5, L_SHAPE)
    assert not inside(1.5, 1.5, L_SHAPE)  # the notch of the L


def test_distance_of_one_degree_of_latitude() -> None:
    assert 111_000 < distance_m((39.0, 116.0), (40.0, 116.0)) < 111_400


def test_a_grid_wins_over_its_community_and_centres_catch_near_misses() -> None:
    community = MappedUnit("1101", "1101", False, (0.5, 0.5), SQUARE)
    grid = MappedUnit("1101-01", "1101", True, None, [[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 0]])
    pointed = MappedUnit("1201", "1201", False, (10.0, 10.0), None)
    assert locate(0.25, 0.25, [community, grid]) == grid
    assert locate(0.75, 0.75, [community, grid]) == community
    assert locate(10.003, 10.0, [community, grid, pointed]) == pointed  # about 330 m away
    assert locate(10.01, 10.0, [community, grid, pointed]) is None  # about 1.1 km: too far
