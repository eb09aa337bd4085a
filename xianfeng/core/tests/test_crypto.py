import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.core import crypto


@pytest.fixture
def keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DATA_KEYS = [old]
    crypto.reset_caches()
    yield settings, old, new
    crypto.reset_caches()


class TestEncryption:
    def test_a_value_survives_key_rotation(self, keys):
        settings, old, new = keys
        token = crypto.encrypt("320102198506150011")
        settings.DATA_KEYS = [new, old]  # new key first: encrypts; old still decrypts
        crypto.reset_caches()
        assert crypto.decrypt(token) == "320102198506150011"

    def test_a_wrong_key_is_a_clear_error(self, keys):
        settings, _old, new = keys
        token = crypto.encrypt("secret")
        settings.DATA_KEYS = [new]
        crypto.reset_caches()
        with pytest.raises(ValueError, match="XIANFENG_DATA_KEY"):
            crypto.decrypt(token)

    def test_rotating_data_keys_keeps_lookup_hashes(self, keys):
        settings, old, new = keys
        settings.LOOKUP_KEY = "k" * 40
        crypto.reset_caches()
        before = crypto.lookup_hash("11010519491231002X")
        settings.DATA_KEYS = [new, old]
        crypto.reset_caches()
        assert crypto.lookup_hash("11010519491231002X") == before

    def test_the_lookup_hash_ignores_case_and_spaces_but_not_content(self, keys):
        assert crypto.lookup_hash(" 11010519491231002x ") == crypto.lookup_hash("11010519491231002X")
        assert crypto.lookup_hash("11010519491231002X") != crypto.lookup_hash("110105194912310021")


@given(st.text(min_size=1, max_size=60))
def test_encrypt_decrypt_round_trip(value):
    assert crypto.decrypt(crypto.encrypt(value)) == value
