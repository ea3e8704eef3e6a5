# Côté client : la carte, le panier et la commande, le formulaire simple, la page de la
# commande, et les éléments partagés qu’elles affichent (état de la connexion, lignes).

menu-link-kitchen = Cuisine
menu-link-staff = Équipe
menu-noscript = JavaScript est désactivé, le panier ne peut donc pas fonctionner ici. { $link } à la place.
menu-noscript-link = Commandez avec le formulaire simple
menu-loading = Chargement de la carte…
menu-aria = Carte
menu-vegetarian = Végétarien
menu-contains = Contient : { $list }
menu-sold-out = Épuisé
menu-add-to-cart = Ajouter { $name } au panier
menu-add-size-to-cart = Ajouter { $name } ({ $size }) au panier
menu-customise = Personnaliser
menu-leave-off = Retirer
menu-no-ingredient = Sans { $ingredient }
menu-add-toppings = Ajouter (jusqu’à { $max })
menu-topping-sold-out = épuisé
menu-line-note = Note pour la cuisine
menu-line-note-placeholder = ex. : bien cuite
menu-extras-price = Suppléments : +{ $price } par pizza, compris dans les prix ci-dessous

cart-title = Votre commande
cart-empty = Votre panier est vide : choisissez quelque chose dans la carte.
cart-total = Total
cart-item-gone = Article retiré de la carte
cart-one-less = Un de moins : { $name }
cart-one-more = Un de plus : { $name }
cart-quantity = quantité
cart-added = Ajouté à votre commande : { $name }
cart-bar-items = { $count ->
    [one] 1 article
   *[other] { $count } articles
}
cart-bar-order = Voir la commande

checkout-name = Votre nom
checkout-phone = Téléphone
checkout-phone-optional = (facultatif, si nous devons vous appeler)
checkout-pickup = Retrait
checkout-notes = Remarques
checkout-blocked = Un article de votre panier n’est plus disponible : retirez-le pour commander.
checkout-placing = Envoi de votre commande…
checkout-place = Commander
checkout-asap = Dès que possible
checkout-open-always = Ouvert 24 h/24
checkout-open-hours = Ouvert { $hours } ({ $timezone })

form-full-menu = Carte complète
form-title = Commander
form-hint = Un formulaire simple qui fonctionne sans JavaScript. Pour des suppléments et un panier, utilisez la
form-hint-link = carte complète
form-quantity-size = { $name } ({ $size }), { $price }
form-quantity = { $name }, { $price }
form-pickup-details = Informations de retrait

order-title = Commande n° { $id }
order-cancel-reason = Motif : { $reason }
order-summary = Vos pizzas
order-for = Pour
order-ordered-at = , commandée à
order-ready-at = Prête vers
order-soon = d’une minute à l’autre
order-in-minutes = dans environ { $minutes } min
order-ahead = { $count ->
    [0] Aucune commande avant la vôtre
    [one] 1 commande avant la vôtre
   *[other] { $count } commandes avant la vôtre
}
order-progress = Progression
order-cancelled = Cette commande a été annulée.

conn-live = En direct
conn-connecting = Connexion…
conn-reconnecting = Reconnexion…
conn-offline = Hors ligne
conn-offline-since = Hors ligne depuis { $time }
conn-updated-ago = mis à jour il y a { $age }
conn-waiting = en attente du serveur

lines-pickup = Retrait
lines-note = Note : { $notes }
lines-removed = sans { $name }
lines-allergens = Allergènes : { $list }

notfound-title = Page introuvable
notfound-back = Retour à la carte
order-ready-title = Prête ! Commande n° { $id }
order-ready-notification = Votre commande est prête à emporter.
order-notify-me = Me prévenir quand elle est prête
order-keep-link = Garder ce lien
order-link-copied = Lien copié : collez-le là où vous le retrouverez.
order-link-copy-yourself = Copiez l’adresse de cette page pour revenir à votre commande.
order-call = Appeler
