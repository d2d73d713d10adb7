"""The first pages render without exceptions and respond to search and template choice."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def library_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    return at.switch_page("app_pages/library.py").run()


def test_the_library_page_lists_exercises_and_filters_by_search():
    at = library_page()
    assert not at.exception
    assert at.title[0].value == "Exercise library"
    full = len(at.dataframe[0].value)
    assert full >= 30
    at.text_input(key="library_search").input("bridge").run()
    names = list(at.dataframe[0].value["Exercise"])
    assert names and all("bridge" in n.lower() for n in names)
    at.text_input(key="library_search").input("zzzz").run()
    assert "No exercise matches" in at.info[0].value


def test_the_library_page_shows_details_of_the_chosen_exercise():
    at = library_page()
    at.selectbox(key="library_detail").set_value("glute_bridge").run()
    assert not at.exception
    assert at.subheader[0].value == "Glute bridge"
    assert any("**Steps**" in m.value for m in at.markdown)


def test_the_templates_page_previews_each_template():
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/templates.py").run()
    assert not at.exception
    ids = ["phase1_settle", "phase2_strengthen", "phase3_return_to_running", "home_routine"]
    for template_id in ids:
        at.selectbox(key="template_preview").set_value(template_id).run()
        assert not at.exception
        assert len(at.dataframe[0].value) >= 5
        assert any(m.label == "Minutes a session" for m in at.metric)


def test_every_sidebar_link_names_its_page_by_the_pages_own_title():
    import ast

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES")
    at = AppTest.from_file(APP, default_timeout=60).run()
    for _, script, sidebar_title, _, _ in pages:
        at.switch_page(script).run()
        assert not at.exception, script
        assert at.title[0].value == sidebar_title, script
