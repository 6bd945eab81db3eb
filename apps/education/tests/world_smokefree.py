"""The smokefree part of education's access-matrix world: a place at the grid of community A1."""


def extend(o) -> None:
    from apps.education.services import smokefree as services

    o.place = services.place_create(
        actor=o.community, jurisdiction=o.grid_a1, name="甲一社区卫生服务站", kind="medical", signs_required=3
    )
    o.place_check_data = lambda: {"checked_on": "2026-11-20", "signs_found": "3"}
