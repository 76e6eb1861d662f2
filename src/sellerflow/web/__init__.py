"""The web console: Seller-Central-like seller pages at / and a buyer storefront at /shop,
server-rendered from the services' read models, in English and Simplified Chinese."""
