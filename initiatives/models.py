"""Cooperation between cluster 2 and regular education in a region: initiatives,
agreements with SWVs, boards, municipalities and OCW, and the transition plan of a (v)so
location that is phasing out or closing."""
