def test_chinese_by_default_and_english_on_request(client, agent, logged_in):
    client = logged_in(agent)
    assert "首页" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Home" in client.get("/").content.decode()


def test_login_page_is_chinese(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page


def test_api_errors_follow_the_users_language(client, agent, logged_in):
    client = logged_in(agent)
    chinese = client.get("/api/audit/events").json()["message"]
    english = client.get("/api/audit/events", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert chinese != english and english == "You do not have the right to do this."
